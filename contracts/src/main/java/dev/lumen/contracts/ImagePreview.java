package dev.lumen.contracts;

import com.fasterxml.jackson.annotation.JsonInclude;

import java.time.Instant;
import java.util.List;

/**
 * Data of {@code dev.lumen.image.preview.v1} on {@link Topics#IMAGE_PREVIEWS}: one target's map of one
 * image while RISE or D-RISE is still sampling it. Key: {@code runId/imageId}. A preview is never a
 * result: it counts toward nothing, and once the image's {@link ImageResult} is seen its previews
 * are stale and must not be shown. Delivery is at most once and best effort; a consumer keeps the
 * preview with the most masks per (runId, imageId, target).
 *
 * @param runId run the image belongs to
 * @param tenant tenant that owns the run
 * @param imageId id of the image
 * @param target the target's position among the explanations the image's result will report
 * @param label the target's label
 * @param score the model's score for the target, in [0, 1]
 * @param box the target's box {@code x1, y1, x2, y2} in original-image pixels; null when it has none
 * @param masks masks drawn so far
 * @param budget masks the run may draw at most (it may stop earlier)
 * @param predictedCorrelation the predicted correlation of this map with the map of the whole budget
 * @param map the map so far, coarse
 * @param createdAt when the worker made this preview
 * @param worker id of the worker explaining the image
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record ImagePreview(
        String runId,
        String tenant,
        String imageId,
        int target,
        String label,
        double score,
        List<Double> box,
        int masks,
        int budget,
        double predictedCorrelation,
        PreviewMap map,
        Instant createdAt,
        String worker) {
}
