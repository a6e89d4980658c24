package dev.lumen.explainer.evaluation;

import java.util.Arrays;
import java.util.Objects;

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

    @Override
    public boolean equals(Object other) {
        return other instanceof MissedObject o && Objects.equals(o.label, label) && Objects.equals(o.index, index)
                && Arrays.equals(o.box, box);
    }

    @Override
    public int hashCode() {
        return Objects.hash(label, index) * 31 + Arrays.hashCode(box);
    }

    @Override
    public String toString() {
        return "MissedObject[label=" + label + ", index=" + index + ", box=" + Arrays.toString(box) + "]";
    }
}
