package dev.lumen.results.rest;

import com.fasterxml.jackson.annotation.JsonInclude;
import dev.lumen.contracts.Evaluation;
import dev.lumen.contracts.Metrics;
import dev.lumen.contracts.Outcome;
import dev.lumen.contracts.Target;
import dev.lumen.contracts.Timing;

import java.util.List;

/**
 * One image's result as the results listing and the image detail show it. Image URLs are presigned
 * for the S3 endpoint browsers use and expire (see {@link ResultPage#urlsExpireAt()}).
 *
 * @param imageId the image
 * @param outcome explained, skipped or failed
 * @param reason why skipped or failed
 * @param width original width in pixels
 * @param height original height in pixels
 * @param method explanation method
 * @param modelId the model explained
 * @param targetLayer the layer a CAM method used
 * @param predictions what the model predicted (above its threshold)
 * @param explanations one map per explained target; targets with a role (a missed object, a true label) among them
 * @param evaluation the predictions matched against ground truth and the missed objects, when the dataset has
 *                   ground truth for the image
 * @param errors the error types present in {@code evaluation}, in display order, for badges
 * @param timing the worker's cost for the image
 * @param worker which worker explained it
 * @param original presigned URL of the original image
 * @param detail API path of this image's detail
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record ResultItem(String imageId, Outcome outcome, String reason, Integer width, Integer height, String method,
                         String modelId, String targetLayer, List<Target> predictions, List<MapItem> explanations,
                         Evaluation evaluation, List<String> errors, Timing timing, String worker, String original, String detail) {

    /**
     * One explained target and its maps.
     *
     * @param index K in the file names ({@code heatmap-K.png})
     * @param target kind, label, score and (for detections) the box in original-image pixels
     * @param metrics deletion and insertion AUC, when computed
     * @param faithfulness insertion AUC minus deletion AUC, when both exist
     * @param saliency presigned URL of the 16-bit map
     * @param heatmap presigned URL of the heatmap (image size, legend strip below)
     * @param overlay presigned URL of the heatmap blended on the image
     */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record MapItem(int index, Target target, Metrics metrics, Double faithfulness, String saliency, String heatmap,
                          String overlay) {
    }
}
