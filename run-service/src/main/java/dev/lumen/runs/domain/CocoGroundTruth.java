package dev.lumen.runs.domain;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.IOException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Validates ground truth in COCO's JSON layout: {@code images} (with {@code id}, {@code file_name},
 * optional {@code tags} and {@code attributes}), {@code categories} ({@code id}, {@code name}) and
 * {@code annotations} ({@code image_id}, {@code category_id}, optional {@code bbox}, {@code
 * segmentation} as polygons or RLE, {@code attributes}). The file is stored as uploaded once it
 * validates; the summary gives the dataset's counts.
 */
public final class CocoGroundTruth {

    private static final int MAX_PROBLEMS = 25;

    private CocoGroundTruth() {
    }

    /**
     * The result of a validation.
     *
     * @param problems what is wrong, each with its JSON path; empty when valid
     * @param annotatedFiles file names of the dataset's images that have an annotation, tag or attribute
     * @param classes number of categories
     * @param unknownFiles images in the ground truth that are not in the dataset (ignored)
     */
    public record Summary(List<String> problems, Set<String> annotatedFiles, int classes, int unknownFiles) {
        public boolean valid() {
            return problems.isEmpty();
        }
    }

    /** Validates {@code json} against the dataset's image file names. */
    public static Summary validate(byte[] json, Set<String> datasetFiles, ObjectMapper mapper) {
        JsonNode root;
        try {
            root = mapper.readTree(json);
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            return invalid("not JSON: " + e.getOriginalMessage());
        } catch (IOException e) {
            return invalid("not JSON: " + e.getMessage());
        }
        if (root == null || !root.isObject()) {
            return invalid("$: must be a JSON object with images, categories and annotations");
        }
        List<String> problems = new ArrayList<>();
        JsonNode images = root.path("images");
        JsonNode categories = root.path("categories");
        JsonNode annotations = root.path("annotations");
        if (!images.isArray()) {
            problems.add("$.images: is required and must be an array");
        }
        if (!categories.isArray()) {
            problems.add("$.categories: is required and must be an array");
        }
        if (!annotations.isMissingNode() && !annotations.isArray()) {
            problems.add("$.annotations: must be an array");
        }
        if (!problems.isEmpty()) {
            return new Summary(problems, Set.of(), 0, 0);
        }

        Set<String> categoryIds = new HashSet<>();
        for (int i = 0; i < categories.size(); i++) {
            JsonNode category = categories.get(i);
            String at = "$.categories[" + i + "]";
            if (!category.isObject()) {
                add(problems, at + ": must be an object");
                continue;
            }
            if (!isId(category.path("id"))) {
                add(problems, at + ".id: is required (integer or string)");
            } else if (!categoryIds.add(category.path("id").asText())) {
                add(problems, at + ".id: duplicate category id " + category.path("id").asText());
            }
            if (!category.path("name").isTextual() || category.path("name").asText().isBlank()) {
                add(problems, at + ".name: is required (non-empty string)");
            }
        }

        Map<String, String> fileByImageId = new HashMap<>();
        Set<String> annotated = new HashSet<>();
        int unknown = 0;
        for (int i = 0; i < images.size(); i++) {
            JsonNode image = images.get(i);
            String at = "$.images[" + i + "]";
            if (!image.isObject()) {
                add(problems, at + ": must be an object");
                continue;
            }
            if (!isId(image.path("id"))) {
                add(problems, at + ".id: is required (integer or string)");
                continue;
            }
            JsonNode fileName = image.path("file_name");
            if (!fileName.isTextual() || fileName.asText().isBlank()) {
                add(problems, at + ".file_name: is required (non-empty string)");
                continue;
            }
            String file = baseName(fileName.asText());
            if (fileByImageId.put(image.path("id").asText(), file) != null) {
                add(problems, at + ".id: duplicate image id " + image.path("id").asText());
            }
            for (String dimension : List.of("width", "height")) {
                JsonNode value = image.path(dimension);
                if (!value.isMissingNode() && (!value.canConvertToInt() || !value.isIntegralNumber() || value.asInt() <= 0)) {
                    add(problems, at + "." + dimension + ": must be a positive integer");
                }
            }
            JsonNode tags = image.path("tags");
            if (!tags.isMissingNode()) {
                if (!tags.isArray()) {
                    add(problems, at + ".tags: must be an array of strings");
                } else {
                    for (int t = 0; t < tags.size(); t++) {
                        if (!tags.get(t).isTextual()) {
                            add(problems, at + ".tags[" + t + "]: must be a string");
                        }
                    }
                }
            }
            JsonNode attributes = image.path("attributes");
            if (!attributes.isMissingNode() && !attributes.isObject()) {
                add(problems, at + ".attributes: must be an object");
            }
            boolean known = datasetFiles.contains(file);
            if (!known) {
                unknown++;
            } else if ((tags.isArray() && !tags.isEmpty()) || (attributes.isObject() && !attributes.isEmpty())) {
                annotated.add(file);
            }
        }

        for (int i = 0; annotations.isArray() && i < annotations.size(); i++) {
            JsonNode annotation = annotations.get(i);
            String at = "$.annotations[" + i + "]";
            if (!annotation.isObject()) {
                add(problems, at + ": must be an object");
                continue;
            }
            String file = isId(annotation.path("image_id")) ? fileByImageId.get(annotation.path("image_id").asText()) : null;
            if (file == null) {
                add(problems, at + ".image_id: must name an image of $.images");
            }
            if (!isId(annotation.path("category_id")) || !categoryIds.contains(annotation.path("category_id").asText())) {
                add(problems, at + ".category_id: must name a category of $.categories");
            }
            JsonNode bbox = annotation.path("bbox");
            if (!bbox.isMissingNode() && !validBox(bbox)) {
                add(problems, at + ".bbox: must be [x, y, width, height] with non-negative width and height");
            }
            JsonNode segmentation = annotation.path("segmentation");
            if (!segmentation.isMissingNode()) {
                String problem = segmentationProblem(segmentation);
                if (problem != null) {
                    add(problems, at + ".segmentation: " + problem);
                }
            }
            JsonNode attributes = annotation.path("attributes");
            if (!attributes.isMissingNode() && !attributes.isObject()) {
                add(problems, at + ".attributes: must be an object");
            }
            if (file != null && datasetFiles.contains(file)) {
                annotated.add(file);
            }
        }
        if (problems.size() >= MAX_PROBLEMS) {
            problems.add("... more problems not listed");
        }
        return new Summary(problems, problems.isEmpty() ? annotated : Set.of(), categories.size(), unknown);
    }

    /** The last path segment: COCO files often name images with their original folder. */
    public static String baseName(String fileName) {
        String name = fileName.replace('\\', '/');
        return name.substring(name.lastIndexOf('/') + 1);
    }

    private static Summary invalid(String problem) {
        return new Summary(List.of(problem), Set.of(), 0, 0);
    }

    private static void add(List<String> problems, String problem) {
        if (problems.size() < MAX_PROBLEMS) {
            problems.add(problem);
        }
    }

    private static boolean isId(JsonNode node) {
        return (node.isIntegralNumber() && node.canConvertToLong()) || (node.isTextual() && !node.asText().isBlank());
    }

    private static boolean validBox(JsonNode box) {
        if (!box.isArray() || box.size() != 4) {
            return false;
        }
        for (JsonNode n : box) {
            if (!n.isNumber() || !Double.isFinite(n.asDouble())) {
                return false;
            }
        }
        return box.get(2).asDouble() >= 0 && box.get(3).asDouble() >= 0;
    }

    /** Polygons: a list of flat [x1, y1, x2, y2, ...] lists of at least three points; RLE: {counts, size}. */
    private static String segmentationProblem(JsonNode segmentation) {
        if (segmentation.isArray()) {
            for (int p = 0; p < segmentation.size(); p++) {
                JsonNode polygon = segmentation.get(p);
                if (!polygon.isArray() || polygon.size() < 6 || polygon.size() % 2 != 0) {
                    return "polygon " + p + " must be a list of an even number (at least 6) of coordinates";
                }
                for (JsonNode n : polygon) {
                    if (!n.isNumber() || !Double.isFinite(n.asDouble())) {
                        return "polygon " + p + " must hold numbers only";
                    }
                }
            }
            return null;
        }
        if (segmentation.isObject()) {
            JsonNode size = segmentation.path("size");
            if (!size.isArray() || size.size() != 2 || !size.get(0).isIntegralNumber() || !size.get(1).isIntegralNumber()
                    || size.get(0).asLong() <= 0 || size.get(1).asLong() <= 0) {
                return "RLE size must be [height, width] with positive integers";
            }
            JsonNode counts = segmentation.path("counts");
            if (counts.isTextual() && !counts.asText().isEmpty()) {
                return null;
            }
            if (counts.isArray() && !counts.isEmpty()) {
                for (JsonNode n : counts) {
                    if (!n.isIntegralNumber() || n.asLong() < 0) {
                        return "RLE counts must be non-negative integers";
                    }
                }
                return null;
            }
            return "RLE counts must be a compressed string or a list of run lengths";
        }
        return "must be a list of polygons or an RLE object";
    }
}
