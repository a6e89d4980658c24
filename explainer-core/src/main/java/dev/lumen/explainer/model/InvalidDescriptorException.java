package dev.lumen.explainer.model;

/**
 * {@code lumen-model.json} is missing, malformed, or has a field with a wrong value. The message
 * starts with {@code lumen-model.json:} and names the field, e.g.
 * {@code lumen-model.json: input.width must be > 0}.
 */
public class InvalidDescriptorException extends ModelLoadException {

    /** A descriptor problem described by {@code message}. */
    public InvalidDescriptorException(String message) {
        super(message);
    }

    /** A descriptor problem caused by {@code cause} (I/O, JSON syntax). */
    public InvalidDescriptorException(String message, Throwable cause) {
        super(message, cause);
    }
}
