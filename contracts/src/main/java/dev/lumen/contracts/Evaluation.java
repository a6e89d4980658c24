package dev.lumen.contracts;

import com.fasterxml.jackson.annotation.JsonInclude;

import java.util.List;

/**
 * How an image's predictions compare with its ground truth: every prediction matched and typed, and
 * every ground-truth object or tag no prediction found. Present only when the dataset has ground truth
 * for the image.
 *
 * @param matches one per entry of the result's {@code predictions}, in the same order
 * @param missed the ground-truth objects (detectors, segmenters) or labels (classifiers, taggers) that no
 *     prediction matched
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record Evaluation(List<PredictionMatch> matches, List<MissedObject> missed) {
}
