package dev.lumen.contracts;

import com.fasterxml.jackson.annotation.JsonInclude;

import java.util.List;

/**
 * A ground-truth object (or, for classifiers and taggers, a true label) that no prediction matched.
 *
 * @param label its ground-truth label
 * @param index index of the label in the model's label list, null when the model has no such label
 * @param box {@code [x1, y1, x2, y2]} in original-image pixels, for objects with a box
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record MissedObject(String label, Integer index, List<Double> box) {
}
