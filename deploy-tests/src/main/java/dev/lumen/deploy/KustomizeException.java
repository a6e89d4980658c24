package dev.lumen.deploy;

/** A kustomization that cannot be rendered: a missing file, an unsupported field, a patch matching nothing. */
public class KustomizeException extends RuntimeException {

    /** A failure described by {@code message}. */
    public KustomizeException(String message) {
        super(message);
    }

    /** A failure described by {@code message}, caused by {@code cause}. */
    public KustomizeException(String message, Throwable cause) {
        super(message, cause);
    }
}
