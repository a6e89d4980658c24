package dev.lumen.explainer;

import dev.lumen.explainer.evaluation.Evaluation;
import java.util.List;

/**
 * The outcome of explaining one image.
 *
 * @param predictions what the model predicted (for classifiers the top five, best first)
 * @param explanations one per explained target; empty when skipped
 * @param targetLayer the layer the method explained at, or null for methods without one
 * @param skippedReason why nothing was explained (e.g. {@code no prediction above 0.5}), or null
 * @param explainMs wall time of the whole explanation, metrics included
 * @param forwardPasses images run through the whole model (1 for the prediction plus the metrics'
 *     perturbed images; gradient runs start at the target layer and are not counted)
 * @param notes what the caller should know about how the maps were made (a fallback to another
 *     method, masks used when sampling stopped early); empty when nothing to say
 * @param masksUsed masks a sampling method (RISE, D-RISE) drew, summed over objects; 0 for other methods
 * @param forwardBatch most images one forward run of the sampling scored at once; 1 for other methods
 * @param evaluation the predictions matched against the image's ground truth, or null when there is
 *     none or the task is not evaluated ({@link dev.lumen.explainer.evaluation.Evaluations})
 */
public record ExplainResult(
        List<Prediction> predictions,
        List<TargetExplanation> explanations,
        String targetLayer,
        String skippedReason,
        long explainMs,
        long forwardPasses,
        List<String> notes,
        long masksUsed,
        int forwardBatch,
        Evaluation evaluation) {

    /** Copies the lists. */
    public ExplainResult {
        predictions = List.copyOf(predictions);
        explanations = List.copyOf(explanations);
        notes = notes == null ? List.of() : List.copyOf(notes);
    }

    /** A result without an evaluation. */
    public ExplainResult(List<Prediction> predictions, List<TargetExplanation> explanations, String targetLayer,
            String skippedReason, long explainMs, long forwardPasses, List<String> notes, long masksUsed,
            int forwardBatch) {
        this(predictions, explanations, targetLayer, skippedReason, explainMs, forwardPasses, notes, masksUsed,
                forwardBatch, null);
    }

    /** The same result with {@code other} as its evaluation. */
    public ExplainResult withEvaluation(Evaluation other) {
        return new ExplainResult(predictions, explanations, targetLayer, skippedReason, explainMs, forwardPasses, notes,
                masksUsed, forwardBatch, other);
    }

    /** A result of a method that samples no masks. */
    public ExplainResult(List<Prediction> predictions, List<TargetExplanation> explanations, String targetLayer,
            String skippedReason, long explainMs, long forwardPasses, List<String> notes) {
        this(predictions, explanations, targetLayer, skippedReason, explainMs, forwardPasses, notes, 0, 1);
    }

    /** A result without notes. */
    public ExplainResult(List<Prediction> predictions, List<TargetExplanation> explanations, String targetLayer,
            String skippedReason, long explainMs, long forwardPasses) {
        this(predictions, explanations, targetLayer, skippedReason, explainMs, forwardPasses, List.of());
    }
}
