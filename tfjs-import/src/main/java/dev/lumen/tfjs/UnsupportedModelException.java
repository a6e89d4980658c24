package dev.lumen.tfjs;

/**
 * A well-formed TF.js model that this importer cannot turn into a SavedModel: a Keras layers model,
 * or a graph with operations TensorFlow does not know. The message names the format or the
 * operations and their nodes.
 */
public class UnsupportedModelException extends TfjsImportException {

    /** An unsupported model described by {@code message}. */
    public UnsupportedModelException(String message) {
        super(message);
    }
}
