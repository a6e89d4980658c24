package dev.lumen.explainer.target;

import dev.lumen.explainer.Prediction;

/**
 * The score of one label: a class of a classifier, a tag of a multilabel model, an attribute.
 *
 * @param prediction the label's prediction; its index selects the score
 */
public record ClassTarget(Prediction prediction) implements ScoreTarget {

    @Override
    public float[] gradientSeed(int outputSize) {
        if (prediction.index() >= outputSize) {
            throw new IllegalArgumentException("label index " + prediction.index() + " outside an output of "
                    + outputSize + " values");
        }
        float[] seed = new float[outputSize];
        seed[prediction.index()] = 1;
        return seed;
    }

    @Override
    public double score(float[] labelScores) {
        return labelScores[prediction.index()];
    }
}
