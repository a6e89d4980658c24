package dev.lumen.explainer.evaluation;

import java.util.List;

/**
 * One image's predictions matched against its ground truth.
 *
 * @param matches one per evaluated prediction, in the order of the reported predictions
 * @param missed ground-truth objects or labels no prediction matched, in ground-truth order
 */
public record Evaluation(List<PredictionMatch> matches, List<MissedObject> missed) {

    /** Copies the lists. */
    public Evaluation {
        matches = List.copyOf(matches);
        missed = List.copyOf(missed);
    }
}
