package dev.lumen.results.insights;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * A dataset's ground truth ({@code datasets/{id}/ground-truth.json}, COCO format): per image file name
 * its annotated boxes with their category names. Only {@code images[].id/file_name},
 * {@code annotations[].image_id/bbox/category_id} and {@code categories[].id/name} are read.
 */
public final class GroundTruth {

    /** Ground truth of a dataset without any. */
    public static final GroundTruth NONE = new GroundTruth(Map.of());

    /**
     * One annotated object.
     *
     * @param category the category name
     * @param box {@code x1, y1, x2, y2} in image pixels
     */
    public record Annotation(String category, double[] box) {
    }

    private final Map<String, List<Annotation>> byFile;

    /** Ground truth from annotations per image file name. */
    public GroundTruth(Map<String, List<Annotation>> byFile) {
        this.byFile = Map.copyOf(byFile);
    }

    /** Parses a COCO document. */
    public static GroundTruth parse(byte[] coco, ObjectMapper mapper) {
        try {
            JsonNode root = mapper.readTree(coco);
            Map<Long, String> categories = new HashMap<>();
            for (JsonNode category : root.path("categories")) {
                categories.put(category.path("id").asLong(), category.path("name").asText());
            }
            Map<Long, String> files = new HashMap<>();
            for (JsonNode image : root.path("images")) {
                files.put(image.path("id").asLong(), image.path("file_name").asText());
            }
            Map<String, List<Annotation>> byFile = new HashMap<>();
            for (JsonNode annotation : root.path("annotations")) {
                String file = files.get(annotation.path("image_id").asLong());
                JsonNode bbox = annotation.path("bbox");
                if (file == null || bbox.size() != 4) {
                    continue;
                }
                double x = bbox.get(0).asDouble();
                double y = bbox.get(1).asDouble();
                double[] box = {x, y, x + bbox.get(2).asDouble(), y + bbox.get(3).asDouble()};
                String category = categories.getOrDefault(annotation.path("category_id").asLong(),
                        annotation.path("category_id").asText());
                byFile.computeIfAbsent(file, f -> new ArrayList<>()).add(new Annotation(category, box));
            }
            return new GroundTruth(byFile);
        } catch (IOException e) {
            throw new UncheckedIOException("ground truth is not valid COCO JSON", e);
        }
    }

    /** Whether there are no annotations at all. */
    public boolean isEmpty() {
        return byFile.isEmpty();
    }

    /**
     * The boxes of the object a target of class {@code label} in an image is about: the annotations of
     * that category, or every annotation of the image when none has that name; empty when the image
     * has no ground truth. The image is looked up by its id and by the last part of its storage key.
     */
    public List<double[]> boxes(String imageId, String imageKey, String label) {
        List<Annotation> annotations = byFile.get(imageId);
        if (annotations == null && imageKey != null) {
            annotations = byFile.get(imageKey.substring(imageKey.lastIndexOf('/') + 1));
        }
        if (annotations == null) {
            return List.of();
        }
        List<double[]> matching = annotations.stream().filter(a -> a.category().equals(label)).map(Annotation::box).toList();
        return matching.isEmpty() ? annotations.stream().map(Annotation::box).toList() : matching;
    }
}
