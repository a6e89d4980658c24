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
 * @param grid the map's native grid (a CAM layer's cells, RISE's mask cells) in original-image pixels,
 *     when the method has one: what "concentrated on the object" can mean at the map's own resolution
 */
@com.fasterxml.jackson.annotation.JsonInclude(com.fasterxml.jackson.annotation.JsonInclude.Include.NON_NULL)
public record EncodedSaliencyMap(int width, int height, String encoding, String data, MapGrid grid) {
    public static final String PNG16_BASE64 = "png16-base64";

    /** A map without a native grid. */
    public EncodedSaliencyMap(int width, int height, String encoding, String data) {
        this(width, height, encoding, data, null);
    }
}
