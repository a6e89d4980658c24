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
        Timing timing,
        String worker) {
}
