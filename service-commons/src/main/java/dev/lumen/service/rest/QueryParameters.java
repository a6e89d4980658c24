package dev.lumen.service.rest;

import java.util.Locale;

/**
 * Query parameters read as text and checked here, so that {@code ?page=abc} answers 400 naming
 * {@code page} in every service. (JAX-RS answers 404 when it cannot convert a query parameter to an
 * {@code int}, and reads anything but {@code true} as {@code false} for a {@code boolean}.)
 */
public final class QueryParameters {

    private QueryParameters() {
    }

    /**
     * {@code value} as an integer; null when absent or blank.
     *
     * @throws ProblemException 400 on field {@code name} when it is not an integer
     */
    public static Integer integer(String name, String value) {
        if (value == null || value.isBlank()) {
            return null;
        }
        try {
            return Integer.parseInt(value.strip());
        } catch (NumberFormatException e) {
            throw ProblemException.badField(name, "must be an integer");
        }
    }

    /**
     * {@code value} as an integer in {@code min..max}; {@code fallback} when absent or blank.
     *
     * @throws ProblemException 400 on field {@code name} when it is not an integer or out of range
     */
    public static int integer(String name, String value, int fallback, int min, int max) {
        Integer parsed = integer(name, value);
        if (parsed == null) {
            return fallback;
        }
        if (parsed < min || parsed > max) {
            throw ProblemException.badField(name, "must be between " + min + " and " + max);
        }
        return parsed;
    }

    /**
     * {@code value} as {@code true} or {@code false}; {@code fallback} when absent or blank.
     *
     * @throws ProblemException 400 on field {@code name} for anything else
     */
    public static boolean bool(String name, String value, boolean fallback) {
        if (value == null || value.isBlank()) {
            return fallback;
        }
        return switch (value.strip().toLowerCase(Locale.ROOT)) {
            case "true" -> true;
            case "false" -> false;
            default -> throw ProblemException.badField(name, "must be true or false");
        };
    }
}
