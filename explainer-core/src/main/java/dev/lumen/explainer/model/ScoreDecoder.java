package dev.lumen.explainer.model;

import java.util.Map;
import java.util.Set;

/**
 * Turns the raw outputs of label-scoring models (classification, multilabel, attributes) into one
 * score in [0, 1] per label, as named by the descriptor's {@code decoder}:
 * {@code probabilities} (the {@code scores} output already holds them), {@code softmax} or
 * {@code sigmoid} (applied to {@code scores} if present, else {@code logits}). Without a decoder,
 * a {@code scores} output is taken as probabilities and {@code logits} go through softmax for
 * classification and sigmoid otherwise.
 */
final class ScoreDecoder {

    static final Set<String> NAMES = Set.of("probabilities", "softmax", "sigmoid");

    private final String decoder;
    private final String role;

    ScoreDecoder(ModelDescriptor descriptor) {
        this.role = descriptor.outputs().containsKey(ModelDescriptor.SCORES) ? ModelDescriptor.SCORES : ModelDescriptor.LOGITS;
        if (descriptor.decoder() != null) {
            this.decoder = descriptor.decoder();
        } else if (role.equals(ModelDescriptor.SCORES)) {
            this.decoder = "probabilities";
        } else {
            this.decoder = descriptor.task() == Task.CLASSIFICATION ? "softmax" : "sigmoid";
        }
    }

    /** The output role the scores come from. */
    String role() {
        return role;
    }

    /** Scores per image (rows) and label (columns). */
    float[][] decode(Map<String, FloatTensor> outputs) {
        FloatTensor raw = outputs.get(role);
        float[][] scores = new float[raw.batch()][];
        for (int i = 0; i < scores.length; i++) {
            float[] row = raw.sample(i);
            switch (decoder) {
                case "softmax" -> softmax(row);
                case "sigmoid" -> sigmoid(row);
                default -> { }
            }
            scores[i] = row;
        }
        return scores;
    }

    private static void softmax(float[] values) {
        float max = Float.NEGATIVE_INFINITY;
        for (float v : values) {
            max = Math.max(max, v);
        }
        double sum = 0;
        for (int i = 0; i < values.length; i++) {
            values[i] = (float) Math.exp(values[i] - max);
            sum += values[i];
        }
        for (int i = 0; i < values.length; i++) {
            values[i] /= (float) sum;
        }
    }

    private static void sigmoid(float[] values) {
        for (int i = 0; i < values.length; i++) {
            values[i] = (float) (1 / (1 + Math.exp(-values[i])));
        }
    }
}
