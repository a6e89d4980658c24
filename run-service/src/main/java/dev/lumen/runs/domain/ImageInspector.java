package dev.lumen.runs.domain;

import javax.imageio.ImageIO;
import javax.imageio.ImageReader;
import javax.imageio.stream.ImageInputStream;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.util.Iterator;
import java.util.Locale;
import java.util.Set;

/**
 * Checks an image on its way into a dataset from its header only: it must be a PNG, JPEG, BMP or GIF
 * that ImageIO can read, within the size and pixel limits. Reading the header and never the pixels
 * keeps a decompression bomb (a small file that inflates to gigabytes) from being decoded here.
 */
public final class ImageInspector {

    /** File extensions the planner recognises as images. */
    public static final Set<String> EXTENSIONS = Set.of("png", "jpg", "jpeg", "bmp", "gif");
    private static final Set<String> FORMATS = Set.of("png", "jpeg", "bmp", "gif");

    private final long maxBytes;
    private final long maxPixels;

    public ImageInspector(long maxBytes, long maxPixels) {
        this.maxBytes = maxBytes;
        this.maxPixels = maxPixels;
    }

    /**
     * What the header says about an image.
     *
     * @param format ImageIO's format name ({@code png}, {@code jpeg}, ...); null when refused
     * @param width pixels
     * @param height pixels
     * @param problem why it is refused; null when accepted
     */
    public record Inspection(String format, int width, int height, String problem) {
        public boolean accepted() {
            return problem == null;
        }

        static Inspection refused(String problem) {
            return new Inspection(null, 0, 0, problem);
        }
    }

    /** Whether {@code name} ends in an image extension the planner lists. */
    public static boolean hasImageExtension(String name) {
        int dot = name.lastIndexOf('.');
        return dot > 0 && EXTENSIONS.contains(name.substring(dot + 1).toLowerCase(Locale.ROOT));
    }

    /**
     * Inspects {@code header}: the image's first bytes (or all of them).
     *
     * @param totalBytes the full size of the file, for the size limit
     */
    public Inspection inspect(byte[] header, long totalBytes) {
        if (totalBytes <= 0) {
            return Inspection.refused("empty file");
        }
        if (totalBytes > maxBytes) {
            return Inspection.refused("file has " + totalBytes + " bytes; at most " + maxBytes + " are accepted");
        }
        try (ImageInputStream in = ImageIO.createImageInputStream(new ByteArrayInputStream(header))) {
            Iterator<ImageReader> readers = in == null ? null : ImageIO.getImageReaders(in);
            if (readers == null || !readers.hasNext()) {
                return Inspection.refused("not an image ImageIO can read (PNG, JPEG, BMP or GIF expected)");
            }
            ImageReader reader = readers.next();
            try {
                String format = reader.getFormatName().toLowerCase(Locale.ROOT);
                if (format.equals("jpg")) {
                    format = "jpeg";
                }
                if (!FORMATS.contains(format)) {
                    return Inspection.refused("format " + format + " is not accepted (PNG, JPEG, BMP or GIF expected)");
                }
                // ignoreMetadata: only the size is needed, and metadata is where hostile files hide work.
                reader.setInput(in, true, true);
                int width = reader.getWidth(0);
                int height = reader.getHeight(0);
                if (width <= 0 || height <= 0) {
                    return Inspection.refused("image header declares " + width + "x" + height + " pixels");
                }
                if ((long) width * height > maxPixels) {
                    return Inspection.refused("image is " + width + "x" + height + " pixels; at most " + maxPixels
                            + " pixels are accepted");
                }
                return new Inspection(format, width, height, null);
            } finally {
                reader.dispose();
            }
        } catch (IOException | RuntimeException e) {
            return Inspection.refused("image header cannot be read: " + e.getMessage());
        }
    }
}
