package dev.lumen.catalogue;

import java.util.List;

/** A user's choice of label (the {@code class} parameter): a label name, or an index as a number or digits. */
public final class LabelChoice {

    private static final int LABELS_SHOWN = 20;

    private LabelChoice() {
    }

    /**
     * The index {@code choice} names in {@code labels}.
     *
     * @throws IllegalArgumentException naming the labels (or the index range) when nothing matches
     */
    public static int resolve(List<String> labels, Object choice) {
        if (choice instanceof Number number) {
            return checkIndex(labels, number.intValue(), choice);
        }
        String text = String.valueOf(choice).trim();
        int byName = labels.indexOf(text);
        if (byName >= 0) {
            return byName;
        }
        if (!text.isEmpty() && text.chars().allMatch(Character::isDigit)) {
            return checkIndex(labels, Integer.parseInt(text), choice);
        }
        throw new IllegalArgumentException("class '" + text + "' is not a label of this model (labels: "
                + String.join(", ", labels.subList(0, Math.min(LABELS_SHOWN, labels.size())))
                + (labels.size() > LABELS_SHOWN ? ", ..." : "") + ")");
    }

    private static int checkIndex(List<String> labels, int index, Object choice) {
        if (index < 0 || index >= labels.size()) {
            throw new IllegalArgumentException("class index " + choice + " is outside 0.." + (labels.size() - 1));
        }
        return index;
    }
}
