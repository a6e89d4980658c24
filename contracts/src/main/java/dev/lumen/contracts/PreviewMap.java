package dev.lumen.contracts;

import java.util.Base64;

/**
 * A coarse saliency map as previews carry it: at most {@value #MAX_SIDE} x {@value #MAX_SIDE} cells,
 * one unsigned byte each (0..255, linear in saliency, the map's maximum at 255), row-major, base64
 * encoded. Aligned to the full original image: stretch it over the image to overlay it. Small on
 * purpose: a preview is sent every few seconds per image, and the final map replaces it.
 *
 * @param width cells across, 1..{@value #MAX_SIDE}
 * @param height cells down, 1..{@value #MAX_SIDE}
 * @param encoding always {@value #GRAY8_BASE64}
 * @param data base64 of {@code width * height} bytes
 */
public record PreviewMap(int width, int height, String encoding, String data) {

    /** The only encoding. */
    public static final String GRAY8_BASE64 = "gray8-base64";
    /** The largest side, in cells. */
    public static final int MAX_SIDE = 32;

    /**
     * The preview of a dense map of {@code width x height} values (any range): averaged down to at
     * most {@value #MAX_SIDE} cells a side keeping the aspect ratio, then scaled so that its maximum
     * is 255 (all zeros when the map is flat).
     */
    public static PreviewMap of(float[] values, int width, int height) {
        if (width < 1 || height < 1 || values.length != width * height) {
            throw new IllegalArgumentException("map of " + values.length + " values is not " + width + "x" + height);
        }
        double scale = Math.min(1.0, (double) MAX_SIDE / Math.max(width, height));
        int w = Math.max(1, (int) Math.round(width * scale));
        int h = Math.max(1, (int) Math.round(height * scale));
        double[] cells = new double[w * h];
        int[] counts = new int[w * h];
        for (int y = 0; y < height; y++) {
            int cy = Math.min(h - 1, y * h / height);
            for (int x = 0; x < width; x++) {
                int cell = cy * w + Math.min(w - 1, x * w / width);
                cells[cell] += values[y * width + x];
                counts[cell]++;
            }
        }
        double min = Double.POSITIVE_INFINITY;
        double max = Double.NEGATIVE_INFINITY;
        for (int i = 0; i < cells.length; i++) {
            cells[i] /= counts[i];
            min = Math.min(min, cells[i]);
            max = Math.max(max, cells[i]);
        }
        byte[] bytes = new byte[cells.length];
        if (max > min) {
            for (int i = 0; i < cells.length; i++) {
                bytes[i] = (byte) Math.round(255 * (cells[i] - min) / (max - min));
            }
        }
        return new PreviewMap(w, h, GRAY8_BASE64, Base64.getEncoder().encodeToString(bytes));
    }

    /**
     * The cells, 0..255, row-major.
     *
     * @throws IllegalArgumentException when the data is not {@code width * height} base64 bytes
     */
    public int[] cells() {
        byte[] bytes = Base64.getDecoder().decode(data);
        if (bytes.length != width * height) {
            throw new IllegalArgumentException("preview map holds " + bytes.length + " bytes, not " + width + "x" + height);
        }
        int[] cells = new int[bytes.length];
        for (int i = 0; i < bytes.length; i++) {
            cells[i] = bytes[i] & 0xFF;
        }
        return cells;
    }
}
