package dev.lumen.explainer.evaluation;

/**
 * What one prediction of an image is against its ground truth.
 *
 * @param prediction index into the image's reported predictions
 * @param type the match type
 * @param trueLabel the ground-truth label: of the object a class-confused detection lies on, of a
 *     wrongly classified image; else null
 * @param iou for detections, the IoU with the ground-truth object the type refers to (the matched,
 *     taken or other-class object; the best same-class one for localisation; the best of any class
 *     for background, 0 when none overlaps); null for labels
 */
public record PredictionMatch(int prediction, MatchType type, String trueLabel, Double iou) {
}
