package dev.lumen.worker.storage;

/** The referenced model is not (completely) in object storage. */
public class MissingModelException extends RuntimeException {
    public MissingModelException(String message) {
        super(message);
    }
}
