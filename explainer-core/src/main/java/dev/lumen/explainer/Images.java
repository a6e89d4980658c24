package dev.lumen.explainer;

import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.util.Arrays;
import java.util.Iterator;
import java.util.Locale;
import java.util.stream.Collectors;
import javax.imageio.ImageIO;
import javax.imageio.ImageReader;
import javax.imageio.stream.ImageInputStream;

/**
 * Decodes untrusted image bytes (PNG, JPEG, GIF, BMP and whatever else ImageIO reads) into RGB
 * images. The size is read from the header first, so a small file claiming a huge image is
 * refused before any pixel memory is allocated.
 */
public final class Images {

    /** Default pixel limit: 64 megapixels (about 256 MB as RGB ints). */
    public static final long DEFAULT_MAX_PIXELS = 64L * 1024 * 1024;

    private static final String SUPPORTED = Arrays.stream(ImageIO.getReaderFileSuffixes())
            .map(suffix -> suffix.toLowerCase(Locale.ROOT)).distinct().sorted().collect(Collectors.joining(", "));

    private Images() {
    }

    /** Decodes with the default pixel limit. */
    public static BufferedImage decode(byte[] bytes) {
        return decode(bytes, DEFAULT_MAX_PIXELS);
    }

    /**
     * Decodes {@code bytes} into an RGB image ({@code TYPE_INT_RGB}; transparency is dropped).
     *
     * @throws ImageDecodeException for empty, corrupt, unsupported or oversized data
     */
    public static BufferedImage decode(byte[] bytes, long maxPixels) {
        if (bytes == null || bytes.length == 0) {
            throw new ImageDecodeException("empty image data");
        }
        try (ImageInputStream stream = ImageIO.createImageInputStream(new ByteArrayInputStream(bytes))) {
            Iterator<ImageReader> readers = ImageIO.getImageReaders(stream);
            if (!readers.hasNext()) {
                throw new ImageDecodeException("unsupported image format (supported: " + SUPPORTED + ")");
            }
            ImageReader reader = readers.next();
            try {
                reader.setInput(stream, true, true);
                long width = reader.getWidth(0);
                long height = reader.getHeight(0);
                if (width <= 0 || height <= 0) {
                    throw new ImageDecodeException("image has no pixels (" + width + "x" + height + ")");
                }
                if (width * height > maxPixels) {
                    throw new ImageDecodeException("image of " + width + "x" + height + " pixels exceeds the limit of "
                            + maxPixels + " pixels");
                }
                return toRgb(reader.read(0));
            } finally {
                reader.dispose();
            }
        } catch (IOException | RuntimeException e) {
            if (e instanceof ImageDecodeException decodeException) {
                throw decodeException;
            }
            if (String.valueOf(e.getMessage()).contains("Unsupported Image Type")) {
                throw new ImageDecodeException("unsupported image type (e.g. a CMYK JPEG): " + e.getMessage(), e);
            }
            throw new ImageDecodeException("corrupt or truncated image data: " + describe(e), e);
        }
    }

    private static BufferedImage toRgb(BufferedImage image) {
        if (image.getType() == BufferedImage.TYPE_INT_RGB) {
            return image;
        }
        BufferedImage rgb = new BufferedImage(image.getWidth(), image.getHeight(), BufferedImage.TYPE_INT_RGB);
        Graphics2D graphics = rgb.createGraphics();
        try {
            // Transparent areas become white, as browsers show them.
            graphics.drawImage(image, 0, 0, Color.WHITE, null);
        } finally {
            graphics.dispose();
        }
        return rgb;
    }

    private static String describe(Exception e) {
        return e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
    }
}
