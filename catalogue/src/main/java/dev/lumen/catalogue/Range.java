package dev.lumen.catalogue;

import java.util.Locale;

/**
 * The values a number parameter allows: from {@code min} to {@code max}, each end included or not.
 * Written {@code 2..256} when both ends are included, else in interval notation ({@code (0, 1]}).
 *
 * @param min lowest bound
 * @param minIncluded whether {@code min} itself is allowed
 * @param max highest bound
 * @param maxIncluded whether {@code max} itself is allowed
 */
public record Range(double min, boolean minIncluded, double max, boolean maxIncluded) {

    /** Checks the bounds. */
    public Range {
        if (!(min <= max)) {
            throw new IllegalArgumentException("range min " + min + " above max " + max);
        }
    }

    /** Both ends included. */
    public static Range closed(double min, double max) {
        return new Range(min, true, max, true);
    }

    /** Neither end included. */
    public static Range open(double min, double max) {
        return new Range(min, false, max, false);
    }

    /** The lower end excluded, the upper included. */
    public static Range openClosed(double min, double max) {
        return new Range(min, false, max, true);
    }

    /** Whether {@code value} lies in the range. */
    public boolean contains(double value) {
        return (minIncluded ? value >= min : value > min) && (maxIncluded ? value <= max : value < max);
    }

    @Override
    public String toString() {
        if (minIncluded && maxIncluded) {
            return format(min) + ".." + format(max);
        }
        return (minIncluded ? "[" : "(") + format(min) + ", " + format(max) + (maxIncluded ? "]" : ")");
    }

    private static String format(double value) {
        return value == Math.rint(value) && Math.abs(value) < 1e15 ? Long.toString((long) value)
                : String.format(Locale.ROOT, "%s", value);
    }
}
