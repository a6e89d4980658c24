package dev.lumen.runs.rest;

import java.util.regex.Pattern;

/** The shape every id in Lumen's API and events has. */
final class Ids {
    static final String PATTERN = "^[A-Za-z0-9._-]{1,128}$";
    static final String MESSAGE = "must be 1-128 characters of letters, digits, '.', '_' or '-'";
    private static final Pattern COMPILED = Pattern.compile(PATTERN);

    private Ids() {
    }

    /** Whether {@code id} has the shape of an id (anything else cannot exist). */
    static boolean valid(String id) {
        return id != null && COMPILED.matcher(id).matches();
    }
}
