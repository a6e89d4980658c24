package dev.lumen.render;

import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import javax.imageio.ImageIO;

/**
 * Turns saliency maps into pictures people look at: a coloured heatmap (optionally with a legend)
 * and a heatmap blended over the original image. Maps are min-max normalised first, so colours
 * show the ranking of pixels within one map, not absolute scores.
 *
 * <p>Stateless and thread-safe. Legend labels use a built-in bitmap font, because server images
 * often ship without fonts and AWT text rendering then fails.
 */
public final class HeatmapRenderer {

    private static final int LEGEND_BACKGROUND = 0xFF202020;
    private static final int LEGEND_TEXT = 0xFFFFFFFF;

    private HeatmapRenderer() {
    }

    /**
     * A heatmap of {@code width x height} pixels. With {@code withLegend}, a strip with a colour bar
     * labelled "low" and "high" is added below it, so the image is taller than {@code height}.
     */
    public static BufferedImage heatmap(SaliencyMap map, int width, int height, boolean withLegend) {
        float[] values = map.normalized().resize(width, height).values();
        int legendHeight = withLegend ? legendHeight(width, height) : 0;
        BufferedImage image = new BufferedImage(width, height + legendHeight, BufferedImage.TYPE_INT_RGB);
        int[] rgb = new int[width * height];
        for (int i = 0; i < rgb.length; i++) {
            rgb[i] = Colormaps.argb(values[i]);
        }
        image.setRGB(0, 0, width, height, rgb, 0, width);
        if (withLegend) {
            drawLegend(image, height, legendHeight);
        }
        return image;
    }

    /**
     * The original image with the heatmap blended on top: {@code alpha} of the colour map plus
     * {@code 1 - alpha} of the photo (0 shows only the photo, 1 only the heatmap). The map is
     * stretched over the whole image, as Lumen's maps are aligned to the full original image.
     */
    public static BufferedImage overlay(BufferedImage original, SaliencyMap map, double alpha) {
        if (!(alpha >= 0 && alpha <= 1)) {
            throw new IllegalArgumentException("alpha must be in [0, 1], got " + alpha);
        }
        int width = original.getWidth();
        int height = original.getHeight();
        float[] values = map.normalized().resize(width, height).values();
        int[] photo = original.getRGB(0, 0, width, height, null, 0, width);
        int[] out = new int[photo.length];
        for (int i = 0; i < photo.length; i++) {
            out[i] = blend(Colormaps.argb(values[i]), photo[i], alpha);
        }
        BufferedImage image = new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
        image.setRGB(0, 0, width, height, out, 0, width);
        return image;
    }

    /** PNG bytes of an image. */
    public static byte[] png(BufferedImage image) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try {
            if (!ImageIO.write(image, "png", out)) {
                throw new IllegalArgumentException("no PNG writer for image type " + image.getType());
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot encode PNG", e);
        }
        return out.toByteArray();
    }

    private static int blend(int top, int bottom, double alpha) {
        int r = mix(top >> 16 & 0xFF, bottom >> 16 & 0xFF, alpha);
        int g = mix(top >> 8 & 0xFF, bottom >> 8 & 0xFF, alpha);
        int b = mix(top & 0xFF, bottom & 0xFF, alpha);
        return 0xFF000000 | r << 16 | g << 8 | b;
    }

    private static int mix(int top, int bottom, double alpha) {
        return (int) Math.round(top * alpha + bottom * (1 - alpha));
    }

    /** About a tenth of the heatmap, but never so small that the labels become unreadable. */
    private static int legendHeight(int width, int height) {
        return Math.max(BitmapFont.GLYPH_HEIGHT + 6, Math.min(height, width) / 10);
    }

    private static void drawLegend(BufferedImage image, int top, int legendHeight) {
        int width = image.getWidth();
        for (int y = top; y < top + legendHeight; y++) {
            for (int x = 0; x < width; x++) {
                image.setRGB(x, y, LEGEND_BACKGROUND);
            }
        }
        int padding = Math.max(2, legendHeight / 6);
        int scale = Math.max(1, (legendHeight - 2 * padding) / BitmapFont.GLYPH_HEIGHT);
        int lowWidth = BitmapFont.width("low", scale);
        int highWidth = BitmapFont.width("high", scale);
        int barLeft = padding;
        int barRight = width - padding;
        boolean labels = width - lowWidth - highWidth - 4 * padding >= 8;
        if (labels) {
            int textTop = top + (legendHeight - BitmapFont.GLYPH_HEIGHT * scale) / 2;
            BitmapFont.draw(image, "low", padding, textTop, scale, LEGEND_TEXT);
            BitmapFont.draw(image, "high", width - padding - highWidth, textTop, scale, LEGEND_TEXT);
            barLeft = 2 * padding + lowWidth;
            barRight = width - 2 * padding - highWidth;
        }
        int barSpan = Math.max(1, barRight - barLeft - 1);
        for (int x = barLeft; x < barRight; x++) {
            int colour = Colormaps.argb((x - barLeft) / (double) barSpan);
            for (int y = top + padding; y < top + legendHeight - padding; y++) {
                image.setRGB(x, y, colour);
            }
        }
    }
}
