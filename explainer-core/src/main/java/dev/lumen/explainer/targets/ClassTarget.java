package dev.lumen.explainer.targets;

import dev.lumen.explainer.Prediction;
import java.util.Optional;

/**
 * The score of one label: a class of a classifier, a tag of a multilabel model, an attribute.
 *
 * @param prediction the label's prediction; its index selects the score
 * @param role null for a prediction, else why the label is explained ({@link Target#MISSED},
 *     {@link Target#TRUE_LABEL})
 */
public record ClassTarget(Prediction prediction, String role) implements Target<float[]> {

    /** A predicted label. */
    public ClassTarget(Prediction prediction) {
        this(prediction, null);
    }

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
