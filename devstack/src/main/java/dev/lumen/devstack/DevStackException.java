package dev.lumen.devstack;

/**
 * A failure the user can act on (a port in use, a stack already running, a missing env file):
 * the launcher prints its message without a stack trace.
 */
public class DevStackException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    /** A failure described by its message alone. */
    public DevStackException(String message) {
        super(message);
    }

    /** A failure with the exception that caused it. */
    public DevStackException(String message, Throwable cause) {
        super(message, cause);
    }
}
