package dev.lumen.devstack;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * Content types of the files the devstack seeds. A fixed table first, because
 * {@link Files#probeContentType} depends on the host's MIME database and knows no model formats.
 */
final class ContentTypes {

    private static final String BINARY = "application/octet-stream";

    private static final Map<String, String> BY_EXTENSION = Map.ofEntries(
            Map.entry("png", "image/png"),
            Map.entry("jpg", "image/jpeg"),
            Map.entry("jpeg", "image/jpeg"),
            Map.entry("gif", "image/gif"),
            Map.entry("bmp", "image/bmp"),
            Map.entry("webp", "image/webp"),
            Map.entry("tif", "image/tiff"),
            Map.entry("tiff", "image/tiff"),
            Map.entry("json", "application/json"),
            Map.entry("txt", "text/plain"),
            Map.entry("csv", "text/csv"),
            Map.entry("yaml", "application/yaml"),
            Map.entry("yml", "application/yaml"),
            Map.entry("pb", BINARY),
            Map.entry("onnx", BINARY),
            Map.entry("h5", BINARY),
            Map.entry("keras", BINARY),
            Map.entry("pt", BINARY),
            Map.entry("bin", BINARY));

    private static final Set<String> IMAGE_EXTENSIONS = Set.of("png", "jpg", "jpeg", "gif", "bmp", "webp", "tif", "tiff");

    private ContentTypes() {
    }

    static String of(Path file) {
        String known = BY_EXTENSION.get(extension(file));
        if (known != null) {
            return known;
        }
        try {
            String probed = Files.probeContentType(file);
            return probed == null ? BINARY : probed;
        } catch (IOException e) {
            return BINARY;
        }
    }

    /** Whether the file name has the extension of an image format. */
    static boolean isImage(Path file) {
        return IMAGE_EXTENSIONS.contains(extension(file));
    }

    private static String extension(Path file) {
        String name = file.getFileName().toString();
        int dot = name.lastIndexOf('.');
        return dot < 0 ? "" : name.substring(dot + 1).toLowerCase(Locale.ROOT);
    }
}
