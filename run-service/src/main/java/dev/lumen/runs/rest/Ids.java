package dev.lumen.runs.rest;

/** The shape every id in Lumen's API and events has. */
final class Ids {
    static final String PATTERN = "^[A-Za-z0-9._-]{1,128}$";
    static final String MESSAGE = "must be 1-128 characters of letters, digits, '.', '_' or '-'";

    private Ids() {
    }
}
