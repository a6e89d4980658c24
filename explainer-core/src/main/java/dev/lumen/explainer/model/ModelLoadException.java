package dev.lumen.explainer.model;

/**
 * A model directory that Lumen cannot or will not load: missing or invalid descriptor, a SavedModel
 * TensorFlow rejects, or a graph with operations Lumen refuses to run. The message says which, in
 * words meant for the person who supplied the model.
 */
public class ModelLoadException extends RuntimeException {

    /** A failure without an underlying cause. */
    public ModelLoadException(String message) {
        super(message);
    }

    /** A failure caused by {@code cause}. */
    public ModelLoadException(String message, Throwable cause) {
        super(message, cause);
    }
}
