package dev.lumen.explainer.target;

import dev.lumen.explainer.Prediction;

/**
 * Which score an explanation explains. A target says how to seed the gradient at the model's
 * explained output and how to read its score from decoded outputs, so methods and metrics need
 * not know whether it is a class, a tag or (later) a box.
 */
public interface ScoreTarget {

    /** The prediction being explained. */
    Prediction prediction();

    /**
     * Weights over one image's explained output (flattened): the gradient method differentiates
     * {@code sum(seed * output)}.
     *
     * @param outputSize number of values of one image's explained output
     */
    float[] gradientSeed(int outputSize);

    /**
     * This target's score in one image's decoded scores (per label; per pixel and label for
     * segmenters), e.g. for deletion/insertion curves.
     */
    double score(float[] labelScores);
}
