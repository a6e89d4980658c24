package dev.lumen.explainer.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.lumen.explainer.ImageObject;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The objects of a COCO ground-truth file ({@code --objects}) per image file name: each annotation's
 * {@code bbox} {@code [x, y, w, h]} becomes an {@link ImageObject} {@code [x1, y1, x2, y2]} labelled
 * with its category's name, the way the platform hands a dataset's ground truth to attribute models.
 */
final class CocoObjects {

    private final Map<String, List<ImageObject>> byFile;

    private CocoObjects(Map<String, List<ImageObject>> byFile) {
        this.byFile = byFile;
    }

    /**
     * Reads {@code file}.
     *
     * @throws UsageException when the file is not COCO JSON with usable boxes
     */
    static CocoObjects read(Path file) {
        JsonNode root;
        try {
            root = new ObjectMapper().readTree(file.toFile());
        } catch (IOException e) {
            throw new UsageException("--objects: cannot read " + file + ": " + e.getMessage());
        }
        Map<String, String> categories = new HashMap<>();
        root.path("categories").forEach(c -> categories.put(c.path("id").asText(), c.path("name").asText()));
        Map<String, String> files = new HashMap<>();
        root.path("images").forEach(i -> files.put(i.path("id").asText(), Path.of(i.path("file_name").asText())
                .getFileName().toString()));
        Map<String, List<ImageObject>> byFile = new HashMap<>();
        int n = 0;
        for (JsonNode annotation : root.path("annotations")) {
            String name = files.get(annotation.path("image_id").asText());
            JsonNode bbox = annotation.path("bbox");
            if (name == null || !bbox.isArray() || bbox.size() != 4) {
                throw new UsageException("--objects: annotations[" + n + "] needs an image_id of images and a bbox [x, y, w, h]");
            }
            double x = bbox.get(0).asDouble();
            double y = bbox.get(1).asDouble();
            try {
                byFile.computeIfAbsent(name, f -> new ArrayList<>()).add(new ImageObject(
                        new double[] {x, y, x + bbox.get(2).asDouble(), y + bbox.get(3).asDouble()},
                        categories.get(annotation.path("category_id").asText())));
            } catch (IllegalArgumentException e) {
                throw new UsageException("--objects: annotations[" + n + "]: " + e.getMessage());
            }
            n++;
        }
        return new CocoObjects(byFile);
    }

    /** The objects of the image named {@code file} (its base name), empty when it has none. */
    List<ImageObject> of(Path file) {
        return byFile.getOrDefault(file.getFileName().toString(), List.of());
    }
}
