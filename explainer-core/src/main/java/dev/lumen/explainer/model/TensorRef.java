package dev.lumen.explainer.model;

/**
 * One output of one graph operation, written {@code op:index} as TensorFlow does.
 *
 * @param operation operation name
 * @param index output index, from 0
 */
public record TensorRef(String operation, int index) {

    /** Parses {@code op:index}, or {@code op} alone for output 0. */
    public static TensorRef parse(String name) {
        int colon = name.lastIndexOf(':');
        if (colon > 0 && colon < name.length() - 1 && name.substring(colon + 1).chars().allMatch(Character::isDigit)) {
            return new TensorRef(name.substring(0, colon), Integer.parseInt(name.substring(colon + 1)));
        }
        return new TensorRef(name, 0);
    }

    @Override
    public String toString() {
        return operation + ":" + index;
    }
}
