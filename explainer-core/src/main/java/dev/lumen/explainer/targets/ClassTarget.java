package dev.lumen.explainer.targets;

import dev.lumen.explainer.Prediction;
import java.util.Optional;

/**
 * The score of one label: a class of a classifier, a tag of a multilabel model, an attribute.
 *
 * @param prediction the label's prediction; its index selects the score
 */
public record ClassTarget(Prediction prediction) implements Target<float[]> {

    @Override
    public Optional<float[]> gradientSeed(int outputSize) {
        if (prediction.index() >= outputSize) {
            throw new IllegalArgumentException("label index " + prediction.index() + " outside an output of "
                    + outputSize + " values");
        }
        float[] seed = new float[outputSize];
        seed[prediction.index()] = 1;
        return Optional.of(seed);
    }

    @Override
    public double score(float[] labelScores) {
        return labelScores[prediction.index()];
    }
}
