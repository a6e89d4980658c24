package dev.lumen.contracts;

import com.fasterxml.jackson.annotation.JsonInclude;

import java.util.List;

/**
 * Data of {@code dev.lumen.image.result.v1} on {@link Topics#IMAGE_RESULTS}: the outcome of one
 * image. Key: run id. Consumers must be idempotent per (runId, imageId): delivery is at least once.
 *
 * @param runId run the image belongs to
 * @param tenant tenant that owns the run
 * @param imageId id of the image
 * @param imageKey object-storage key of the original image
 * @param imageTotal number of images the run sampled
 * @param outcome explained, skipped or failed
 * @param reason why the image was skipped or failed; null when explained
 * @param width original image width
 * @param height original image height
 * @param method the method used
 * @param model the model explained
 * @param targetLayer the layer Grad-CAM used, when a CAM method ran
 * @param predictions what the model predicted (above its threshold)
 * @param explanations one map per explained target
 * @param evaluation the predictions matched against the image's ground truth, when the dataset has it
 * @param timing cost of the explanation
 * @param worker id of the worker that produced the result
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record ImageResult(
        String runId,
        String tenant,
        String imageId,
        String imageKey,
        int imageTotal,
        Outcome outcome,
        String reason,
        Integer width,
        Integer height,
        String method,
        ModelRef model,
        String targetLayer,
        List<Target> predictions,
        List<Explanation> explanations,
        Evaluation evaluation,
        Timing timing,
        String worker) {

    /** An empty builder: every component null (zero for {@code imageTotal}) until set. */
    public static Builder builder() {
        return new Builder();
    }

    /** A builder for the result of {@code task}: its run, tenant, image, image total, method and model set. */
    public static Builder forTask(ImageTask task) {
        return new Builder().runId(task.runId()).tenant(task.tenant()).imageId(task.imageId())
                .imageKey(task.imageKey()).imageTotal(task.imageTotal()).method(task.method()).model(task.model());
    }

    /** A builder holding this result's components, to derive another result from it. */
    public Builder toBuilder() {
        return new Builder().runId(runId).tenant(tenant).imageId(imageId).imageKey(imageKey).imageTotal(imageTotal)
                .outcome(outcome).reason(reason).width(width).height(height).method(method).model(model)
                .targetLayer(targetLayer).predictions(predictions).explanations(explanations).evaluation(evaluation).timing(timing)
                .worker(worker);
    }

    /**
     * Builds an {@link ImageResult} by component name, so that results with many absent components
     * (skipped and failed images) read as what they are. Setters mirror the record's components.
     */
    public static final class Builder {
        private String runId;
        private String tenant;
        private String imageId;
        private String imageKey;
        private int imageTotal;
        private Outcome outcome;
        private String reason;
        private Integer width;
        private Integer height;
        private String method;
        private ModelRef model;
        private String targetLayer;
        private List<Target> predictions;
        private List<Explanation> explanations;
        private Evaluation evaluation;
        private Timing timing;
        private String worker;

        private Builder() {
        }

        public Builder runId(String value) {
            runId = value;
            return this;
        }

        public Builder tenant(String value) {
            tenant = value;
            return this;
        }

        public Builder imageId(String value) {
            imageId = value;
            return this;
        }

        public Builder imageKey(String value) {
            imageKey = value;
            return this;
        }

        public Builder imageTotal(int value) {
            imageTotal = value;
            return this;
        }

        public Builder outcome(Outcome value) {
            outcome = value;
            return this;
        }

        public Builder reason(String value) {
            reason = value;
            return this;
        }

        public Builder width(Integer value) {
            width = value;
            return this;
        }

        public Builder height(Integer value) {
            height = value;
            return this;
        }

        /** Width and height of the original image. */
        public Builder size(Integer imageWidth, Integer imageHeight) {
            return width(imageWidth).height(imageHeight);
        }

        public Builder method(String value) {
            method = value;
            return this;
        }

        public Builder model(ModelRef value) {
            model = value;
            return this;
        }

        public Builder targetLayer(String value) {
            targetLayer = value;
            return this;
        }

        public Builder predictions(List<Target> value) {
            predictions = value;
            return this;
        }

        public Builder explanations(List<Explanation> value) {
            explanations = value;
            return this;
        }

        public Builder evaluation(Evaluation value) {
            evaluation = value;
            return this;
        }

        public Builder timing(Timing value) {
            timing = value;
            return this;
        }

        public Builder worker(String value) {
            worker = value;
            return this;
        }

        public ImageResult build() {
            return new ImageResult(runId, tenant, imageId, imageKey, imageTotal, outcome, reason, width, height, method,
                    model, targetLayer, predictions, explanations, evaluation, timing, worker);
        }
    }
}
