package dev.lumen.contracts;

import com.fasterxml.jackson.annotation.JsonInclude;

import java.util.List;

/**
 * What one saliency map explains.
 *
 * @param kind {@code class}, {@code tag}, {@code attribute}, {@code segment} or {@code detection}
 * @param label human-readable label
 * @param index index of the label in the model's label list
 * @param score the model's score for it
 * @param box {@code [x1, y1, x2, y2]} in original-image pixels, when the target has a box
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record Target(String kind, String label, int index, double score, List<Double> box) {
}
