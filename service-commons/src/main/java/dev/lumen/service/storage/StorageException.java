package dev.lumen.service.storage;

/** Object storage could not complete an operation; the message names the key. */
public class StorageException extends RuntimeException {
    public StorageException(String message, Throwable cause) {
        super(message, cause);
    }
}
