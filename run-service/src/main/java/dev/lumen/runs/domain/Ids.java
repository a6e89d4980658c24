package dev.lumen.runs.domain;

import java.util.regex.Pattern;

/** The shape every id in Lumen's API and events has. */
public final class Ids {
    /** The id pattern, for bean validation of request fields. */
    public static final String PATTERN = "^[A-Za-z0-9._-]{1,128}$";
    /** What a field that breaks {@link #PATTERN} is told. */
    public static final String MESSAGE = "must be 1-128 characters of letters, digits, '.', '_' or '-'";
    private static final Pattern COMPILED = Pattern.compile(PATTERN);

    private Ids() {
    }

    /** Whether {@code id} has the shape of an id (anything else cannot exist). */
    public static boolean valid(String id) {
        return id != null && COMPILED.matcher(id).matches();
    }
}
