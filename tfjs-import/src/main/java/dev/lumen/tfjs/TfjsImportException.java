package dev.lumen.tfjs;

/**
 * A TF.js model that cannot be imported: missing or malformed files, weights that do not match the
 * graph. The message names the file, weight or node at fault.
 */
public class TfjsImportException extends RuntimeException {

    /** An import failure described by {@code message}. */
    public TfjsImportException(String message) {
        super(message);
    }

    /** An import failure described by {@code message}, caused by {@code cause}. */
    public TfjsImportException(String message, Throwable cause) {
        super(message, cause);
    }
}
