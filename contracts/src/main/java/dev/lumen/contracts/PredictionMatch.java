package dev.lumen.contracts;

import com.fasterxml.jackson.annotation.JsonInclude;

/**
 * One prediction of an image matched against its ground truth.
 *
 * @param prediction index of the prediction in the result's {@code predictions}
 * @param type {@code true-positive}; for detections {@code background}, {@code localisation},
 *     {@code duplicate} or {@code class-confusion}; for classes and tags {@code correct} or {@code wrong}
 * @param trueLabel the ground-truth label the prediction overlaps or should have been, when it is not its own
 * @param iou intersection over union with the ground-truth object it was matched or compared with (boxes only)
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record PredictionMatch(int prediction, String type, String trueLabel, Double iou) {
}
