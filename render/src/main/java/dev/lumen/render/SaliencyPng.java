package dev.lumen.render;

import java.awt.image.BufferedImage;
import java.awt.image.Raster;
import java.awt.image.WritableRaster;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import javax.imageio.ImageIO;

/**
 * Saliency maps as 16-bit grayscale PNG: the lossless exchange format between worker, storage and
 * results service. Grey levels are linear in saliency with the map's maximum at 65535, so a map
 * survives a round trip up to a relative error of 1/65535 of its maximum.
 */
public final class SaliencyPng {

    private static final int MAX_LEVEL = 65535;

    private SaliencyPng() {
    }

    /**
     * Encodes a map divided by its maximum: the maximum becomes 65535, zero stays 0, and negative
     * values (which Grad-CAM style maps clip anyway) become 0. A map without a positive value
     * encodes as all zeros.
     */
    public static byte[] encode16(SaliencyMap map) {
        float max = map.max();
        double toLevel = max > 0 && Float.isFinite(max) ? MAX_LEVEL / (double) max : 0;
        BufferedImage image = new BufferedImage(map.width(), map.height(), BufferedImage.TYPE_USHORT_GRAY);
        WritableRaster raster = image.getRaster();
        float[] values = map.values();
        int[] row = new int[map.width()];
        for (int y = 0; y < map.height(); y++) {
            for (int x = 0; x < map.width(); x++) {
                double level = values[y * map.width() + x] * toLevel;
                row[x] = level > 0 ? (int) Math.min(MAX_LEVEL, Math.round(level)) : 0;
            }
            raster.setSamples(0, y, map.width(), 1, 0, row);
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try {
            ImageIO.write(image, "png", out);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot encode saliency PNG", e);
        }
        return out.toByteArray();
    }

    /**
     * Decodes a grayscale PNG into a map in [0, 1] (level divided by the bit depth's maximum).
     * Accepts 8-bit grayscale too, so hand-made test maps work.
     *
     * @throws IllegalArgumentException when the bytes are not a single-channel PNG
     */
    public static SaliencyMap decode16(byte[] png) {
        BufferedImage image;
        try {
            image = ImageIO.read(new ByteArrayInputStream(png));
        } catch (IOException e) {
            throw new IllegalArgumentException("not a readable saliency PNG: " + e.getMessage(), e);
        }
        if (image == null) {
            throw new IllegalArgumentException("not a PNG image");
        }
        Raster raster = image.getRaster();
        if (raster.getNumBands() != 1) {
            throw new IllegalArgumentException("saliency PNG must be grayscale, got " + raster.getNumBands() + " bands");
        }
        int bits = raster.getSampleModel().getSampleSize(0);
        double maxLevel = (1 << bits) - 1;
        int width = image.getWidth();
        int height = image.getHeight();
        int[] samples = raster.getSamples(0, 0, width, height, 0, (int[]) null);
        float[] values = new float[samples.length];
        for (int i = 0; i < samples.length; i++) {
            values[i] = (float) (samples[i] / maxLevel);
        }
        return new SaliencyMap(values, width, height);
    }
}
