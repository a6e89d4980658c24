package dev.lumen.explainer.targets;

import dev.lumen.explainer.Prediction;
import java.util.List;

/**
 * What a selector found in one image's decoded outputs.
 *
 * @param predictions what to report as predicted, best first
 * @param targets what to explain; empty when skipped
 * @param skippedReason why nothing is explained, or null
 * @param <D> one image's decoded outputs
 */
public record TargetSelection<D>(List<Prediction> predictions, List<Target<D>> targets, String skippedReason) {

    /** Copies the lists. */
    public TargetSelection {
        predictions = List.copyOf(predictions);
        targets = List.copyOf(targets);
    }

    /** The reason used when no prediction reaches the model's threshold. */
    public static String belowThreshold(double threshold) {
        String text = Double.toString(threshold);
        return "no prediction above " + (text.endsWith(".0") ? text.substring(0, text.length() - 2) : text);
    }
}
