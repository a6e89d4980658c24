package dev.lumen.runs.domain;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.lumen.contracts.ObjectBox;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The objects of a dataset's COCO ground truth per image file: every annotation with a box becomes
 * an {@link ObjectBox} ({@code bbox} {@code [x, y, w, h]} turned into {@code [x1, y1, x2, y2]}, the
 * category's name as label). Attribute models explain these objects one by one. The file was
 * validated when it was uploaded; annotations without a usable box are left out.
 */
public final class GroundTruthObjects {

    /** Most objects one image task carries (the image-task schema's limit). */
    public static final int MAX_PER_IMAGE = 100;

    private GroundTruthObjects() {
    }

    /** Objects per image file name (base name, as dataset image ids are), in annotation order. */
    public static Map<String, List<ObjectBox>> byImage(byte[] cocoJson, ObjectMapper mapper) {
        JsonNode root;
        try {
            root = mapper.readTree(cocoJson);
        } catch (IOException e) {
            throw new UncheckedIOException("stored ground truth is not readable JSON: " + e.getMessage(), e);
        }
        Map<String, String> categoryNames = new HashMap<>();
        root.path("categories").forEach(c -> categoryNames.put(c.path("id").asText(), c.path("name").asText()));
        Map<String, String> fileByImageId = new HashMap<>();
        root.path("images").forEach(i -> fileByImageId.put(i.path("id").asText(),
                CocoGroundTruth.baseName(i.path("file_name").asText())));
        Map<String, List<ObjectBox>> objects = new HashMap<>();
        for (JsonNode annotation : root.path("annotations")) {
            String file = fileByImageId.get(annotation.path("image_id").asText());
            JsonNode bbox = annotation.path("bbox");
            if (file == null || !bbox.isArray() || bbox.size() != 4) {
                continue;
            }
            double x = bbox.get(0).asDouble();
            double y = bbox.get(1).asDouble();
            double width = bbox.get(2).asDouble();
            double height = bbox.get(3).asDouble();
            List<ObjectBox> ofImage = objects.computeIfAbsent(file, f -> new ArrayList<>());
            if (width > 0 && height > 0 && ofImage.size() < MAX_PER_IMAGE) {
                String label = categoryNames.get(annotation.path("category_id").asText());
                ofImage.add(new ObjectBox(List.of(x, y, x + width, y + height),
                        label == null || label.isBlank() ? null : label));
            }
        }
        objects.values().removeIf(List::isEmpty);
        return objects;
    }
}
