package dev.lumen.cli;

/** A failure the CLI reports as one clear line (and a non-zero exit), without a stack trace. */
public class CliException extends RuntimeException {
    public CliException(String message) {
        super(message);
    }

    public CliException(String message, Throwable cause) {
        super(message, cause);
    }
}
