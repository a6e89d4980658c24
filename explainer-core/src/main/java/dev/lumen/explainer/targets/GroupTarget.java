package dev.lumen.explainer.targets;

import dev.lumen.explainer.Prediction;
import java.util.Optional;

/**
 * The score of one value of one attribute group ({@code age: 21-25}): scored like any label in the
 * groups' joined scores, differentiated on its own head's output.
 *
 * @param prediction the value's prediction; its index selects the score among all groups' labels
 * @param role the output role of the value's group, the one gradients differentiate
 * @param offset the index of the group's first value among all groups' labels
 */
public record GroupTarget(Prediction prediction, String role, int offset) implements Target<float[]> {

    @Override
    public double score(float[] labelScores) {
        return labelScores[prediction.index()];
    }

    @Override
    public Optional<float[]> gradientSeed(int outputSize) {
        int local = prediction.index() - offset;
        if (local < 0 || local >= outputSize) {
            throw new IllegalArgumentException("value " + local + " of group " + prediction.group() + " outside an output of "
                    + outputSize + " values");
        }
        float[] seed = new float[outputSize];
        seed[local] = 1;
        return Optional.of(seed);
    }

    @Override
    public String gradientRole(String explainedRole) {
        return role;
    }
}
