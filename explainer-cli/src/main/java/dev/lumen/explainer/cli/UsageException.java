package dev.lumen.explainer.cli;

/** The command line is wrong: unknown option, missing value, missing argument. */
final class UsageException extends RuntimeException {

    UsageException(String message) {
        super(message);
    }
}
