package dev.lumen.explainer;

/**
 * Something the model predicted.
 *
 * @param kind {@code class}, {@code tag}, {@code attribute}, {@code segment} or
 *     {@code detection}
 * @param label the label's name
 * @param index the label's index in the model's label list
 * @param score the model's score for it, in [0, 1]
 * @param box {@code x1, y1, x2, y2} in original-image pixels, or null when the prediction has no box
 */
public record Prediction(String kind, String label, int index, double score, double[] box) {
}
