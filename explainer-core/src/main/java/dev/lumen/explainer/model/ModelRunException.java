package dev.lumen.explainer.model;

/** TensorFlow failed while running a loaded model, e.g. on an input of a shape the graph rejects. */
public class ModelRunException extends RuntimeException {

    /** A run failure described by {@code message}. */
    public ModelRunException(String message) {
        super(message);
    }
}
