package dev.lumen.explainer.model;

import dev.lumen.catalogue.Task;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Turns the raw outputs of label-scoring models (classification, multilabel, attributes) into one
 * score in [0, 1] per label, and those of semantic segmenters into one per pixel and label (labels
 * along the last axis), as named by the descriptor's {@code decoder}:
 * {@code probabilities} (the {@code scores} output already holds them), {@code softmax} (over the
 * last axis) or {@code sigmoid} (applied to {@code scores} if present, else {@code logits}).
 * Without a decoder, a {@code scores} output is taken as probabilities and {@code logits} go
 * through softmax for classification and multi-class segmenters, sigmoid otherwise. A descriptor
 * with attribute groups decodes each group's output with the group's decoder and puts the groups'
 * scores one after the other, like its labels.
 */
final class ScoreDecoder {

    static final Set<String> NAMES = Set.of("probabilities", "softmax", "sigmoid");

    private final String decoder;
    private final String role;
    private final List<AttributeGroup> groups;

    ScoreDecoder(ModelDescriptor descriptor) {
        this.groups = descriptor.groups();
        this.role = descriptor.outputs().containsKey(ModelDescriptor.SCORES) ? ModelDescriptor.SCORES : ModelDescriptor.LOGITS;
        if (descriptor.decoder() != null) {
            this.decoder = descriptor.decoder();
        } else if (role.equals(ModelDescriptor.SCORES)) {
            this.decoder = "probabilities";
        } else {
            boolean exclusive = descriptor.task() == Task.CLASSIFICATION
                    || descriptor.task() == Task.SEMANTIC_SEGMENTATION && descriptor.labels().size() > 1;
            this.decoder = exclusive ? "softmax" : "sigmoid";
        }
    }

    /** The output role the scores come from. */
    String role() {
        return role;
    }

    /** Whether scores come from several grouped outputs rather than one. */
    boolean grouped() {
        return !groups.isEmpty();
    }

    /** Scores per image (rows) and label (columns; per pixel, then label, for segmenters). */
    float[][] decode(Map<String, FloatTensor> outputs) {
        if (!groups.isEmpty()) {
            return decodeGroups(outputs);
        }
        FloatTensor raw = outputs.get(role);
        int labels = raw.shape().length > 1 ? (int) raw.shape()[raw.shape().length - 1] : 1;
        float[][] scores = new float[raw.batch()][];
        for (int i = 0; i < scores.length; i++) {
            float[] row = raw.sample(i);
            switch (decoder) {
                case "softmax" -> {
                    for (int from = 0; from < row.length; from += labels) {
                        softmax(row, from, labels);
                    }
                }
                case "sigmoid" -> sigmoid(row);
                default -> { }
            }
            scores[i] = row;
        }
        return scores;
    }

    private float[][] decodeGroups(Map<String, FloatTensor> outputs) {
        int batch = outputs.get(groups.get(0).output()).batch();
        int total = groups.stream().mapToInt(g -> g.labels().size()).sum();
        float[][] scores = new float[batch][total];
        for (int i = 0; i < batch; i++) {
            int offset = 0;
            for (AttributeGroup group : groups) {
                float[] row = outputs.get(group.output()).sample(i);
                if (group.decoder() == AttributeGroup.Decoder.SOFTMAX) {
                    softmax(row, 0, row.length);
                } else {
                    sigmoid(row);
                }
                System.arraycopy(row, 0, scores[i], offset, group.labels().size());
                offset += group.labels().size();
            }
        }
        return scores;
    }

    private static void softmax(float[] values, int from, int count) {
        float max = Float.NEGATIVE_INFINITY;
        for (int i = from; i < from + count; i++) {
            max = Math.max(max, values[i]);
        }
        double sum = 0;
        for (int i = from; i < from + count; i++) {
            values[i] = (float) Math.exp(values[i] - max);
            sum += values[i];
        }
        for (int i = from; i < from + count; i++) {
            values[i] /= (float) sum;
        }
    }

    private static void sigmoid(float[] values) {
        for (int i = 0; i < values.length; i++) {
            values[i] = (float) (1 / (1 + Math.exp(-values[i])));
        }
    }
}
