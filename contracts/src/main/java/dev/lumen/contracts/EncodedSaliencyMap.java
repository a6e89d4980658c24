package dev.lumen.contracts;

/**
 * A saliency map as events carry it: a 16-bit grayscale PNG, base64 encoded, linear in saliency with
 * its maximum at 65535, at a reduced resolution that consumers resize to the image's size. Decoded,
 * it is the dense map of floats that the explainer computes and the renderer draws
 * ({@code dev.lumen.render.SaliencyMap}). In JSON it is the {@code saliency} of an {@link Explanation}.
 *
 * @param width map width in pixels
 * @param height map height in pixels
 * @param encoding always {@code png16-base64}
 * @param data the base64 PNG bytes
 */
public record EncodedSaliencyMap(int width, int height, String encoding, String data) {
    public static final String PNG16_BASE64 = "png16-base64";
}
