package dev.lumen.explainer.model;

import java.util.List;

/**
 * One output head of an attribute model whose attributes come in groups ({@code gender},
 * {@code age}): its values, the output that scores them, and how that output becomes
 * probabilities. The descriptor's label list is the groups' values in order, each shown as
 * {@code group: value} ({@link #displayLabel}), so a label index addresses one value of one group.
 *
 * @param name the group's name, shown before each of its values
 * @param output the role in the descriptor's {@code outputs} whose tensor holds this head's raw
 *     values (before its softmax or sigmoid), one per label
 * @param decoder softmax: the values exclude each other and the top one is the group's prediction;
 *     sigmoid: each value stands alone and every one at or above the score threshold is predicted
 * @param labels the head's values, indexed like its output
 */
public record AttributeGroup(String name, String output, Decoder decoder, List<String> labels) {

    /** Separates a group's name from its value in a displayed label. */
    public static final String SEPARATOR = ": ";

    /** Copies the labels, so a group never changes after reading. */
    public AttributeGroup {
        labels = List.copyOf(labels);
    }

    /** The label of value {@code index} as results show it: {@code age: 21-25}. */
    public String displayLabel(int index) {
        return name + SEPARATOR + labels.get(index);
    }

    /** How a head's raw values become probabilities, and which of them are predictions. */
    public enum Decoder {
        /** Exclusive values: softmax over the head; its top value is predicted whatever its score. */
        SOFTMAX("softmax"),
        /** Independent values: a sigmoid each; every one at or above the score threshold is predicted. */
        SIGMOID("sigmoid");

        private final String id;

        Decoder(String id) {
            this.id = id;
        }

        /** The name used in {@code lumen-model.json}. */
        public String id() {
            return id;
        }
    }
}
