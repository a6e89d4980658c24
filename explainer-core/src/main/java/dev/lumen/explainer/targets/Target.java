package dev.lumen.explainer.targets;

import dev.lumen.explainer.Prediction;
import java.util.Optional;

/**
 * One prediction to explain, and everything a method needs to explain it: perturbation methods and
 * the faithfulness metrics weigh a model run by the target's {@link #score} in its decoded outputs;
 * gradient methods differentiate the explained output weighted by its {@link #gradientSeed}.
 * Classes, tags, attributes, segments and detections are all targets, so every method reads every
 * target the same way.
 *
 * @param <D> one image's decoded outputs, as the model's task adapter decodes them (label scores,
 *     pixel scores, detector proposals)
 */
public interface Target<D> {

    /** {@link #role()} of a ground-truth object or label the model did not predict, explained as a target. */
    String MISSED = "missed";
    /** {@link #role()} of the true label of a wrong classification, explained beside the predicted class. */
    String TRUE_LABEL = "true-label";

    /** The prediction being explained. */
    Prediction prediction();

    /** This target's score in one image's decoded outputs: a masked image's weight, a point of a deletion curve. */
    double score(D decoded);

    /**
     * Weights over one image's explained output (flattened): a gradient method differentiates
     * {@code sum(seed * output)}. Empty when the target cannot say which output elements made it
     * (then gradient methods fall back to the task's black-box method).
     *
     * @param outputSize number of values of one image's explained output
     */
    Optional<float[]> gradientSeed(int outputSize);

    /**
     * The output role {@link #gradientSeed} weighs: the model's explained role, unless the target
     * comes from another output (a detection's score output).
     */
    default String gradientRole(String explainedRole) {
        return explainedRole;
    }

    /**
     * Why an error target is explained ({@link #MISSED}, {@link #TRUE_LABEL}); null for a prediction.
     * Error targets are chosen from the image's ground truth (decision 0071).
     */
    default String role() {
        return null;
    }
}
