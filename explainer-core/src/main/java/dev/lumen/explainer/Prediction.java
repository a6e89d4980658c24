package dev.lumen.explainer;

/**
 * Something the model predicted.
 *
 * @param kind {@code class}, {@code tag}, {@code attribute}, {@code segment} or
 *     {@code detection}
 * @param label the label's name; for a model with attribute groups, {@code group: value}
 * @param index the label's index in the model's label list
 * @param score the model's score for it, in [0, 1]
 * @param box {@code x1, y1, x2, y2} in original-image pixels, or null when the prediction has no box
 * @param group the attribute group the label belongs to ({@code age}), or null for a model without groups
 */
public record Prediction(String kind, String label, int index, double score, double[] box, String group) {

    /** A prediction outside any attribute group. */
    public Prediction(String kind, String label, int index, double score, double[] box) {
        this(kind, label, index, score, box, null);
    }
}
