package dev.lumen.explainer;

/**
 * Image bytes that cannot become a picture: empty, corrupt, of an unsupported format, or larger
 * than the pixel limit. The message says which, for the person who supplied the image.
 */
public class ImageDecodeException extends RuntimeException {

    /** A decode failure described by {@code message}. */
    public ImageDecodeException(String message) {
        super(message);
    }

    /** A decode failure caused by {@code cause}. */
    public ImageDecodeException(String message, Throwable cause) {
        super(message, cause);
    }
}
