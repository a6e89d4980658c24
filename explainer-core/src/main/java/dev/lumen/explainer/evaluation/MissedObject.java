package dev.lumen.explainer.evaluation;

/**
 * A ground-truth object or label the model did not predict.
 *
 * @param label the ground-truth label
 * @param index the label's index among the model's labels, or null when the model has no such label
 * @param box {@code x1, y1, x2, y2} in original-image pixels for a missed object; null for a missed label
 */
public record MissedObject(String label, Integer index, double[] box) {

    /** Copies the box. */
    public MissedObject {
        box = box == null ? null : box.clone();
    }

    @Override
    public double[] box() {
        return box == null ? null : box.clone();
    }
}
