package dev.lumen.runs.domain;

import javax.imageio.ImageIO;
import javax.imageio.ImageReader;
import javax.imageio.stream.ImageInputStream;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * Checks an image on its way into a dataset: it must be a PNG, JPEG, BMP or GIF that ImageIO can read,
 * within the size and pixel limits ({@link #inspect}, from the header), and decode completely without
 * damage ({@link #decode}). The header is always checked first, so a decompression bomb (a small file
 * that claims gigabytes of pixels) is refused before any pixel is decoded.
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
     * Checks a whole image: for a PNG its chunk structure (CRCs, header values, no truncation; see
     * {@link PngStructure}), its header as {@link #inspect} does, then every pixel decoded by the
     * reader the worker uses. A decoder warning (e.g. a JPEG that ends early, which ImageIO fills with
     * grey) refuses the image like an error.
     */
    public Inspection decode(byte[] bytes) {
        if (bytes.length > 0 && bytes.length <= maxBytes && PngStructure.isPng(bytes)) {
            // Before the header: ImageIO's answer to an impossible IHDR is only "I/O error".
            String structure = PngStructure.problem(bytes);
            if (structure != null) {
                return Inspection.refused(structure);
            }
        }
        Inspection header = inspect(bytes, bytes.length);
        if (!header.accepted()) {
            return header;
        }
        try (ImageInputStream in = ImageIO.createImageInputStream(new ByteArrayInputStream(bytes))) {
            ImageReader reader = ImageIO.getImageReaders(in).next();
            List<String> warnings = new ArrayList<>();
            reader.addIIOReadWarningListener((source, warning) -> warnings.add(warning));
            try {
                reader.setInput(in, true, true);
                reader.read(0);
            } finally {
                reader.dispose();
            }
            if (!warnings.isEmpty()) {
                return Inspection.refused("corrupt or truncated image data: " + warnings.get(0));
            }
            return header;
        } catch (IOException | RuntimeException e) {
            String message = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
            if (message.contains("Unsupported Image Type")) {
                return Inspection.refused("unsupported colour type (e.g. a CMYK or YCCK JPEG): " + message);
            }
            return Inspection.refused("corrupt or truncated image data: " + message);
        }
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
