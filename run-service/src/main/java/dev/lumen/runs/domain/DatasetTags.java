package dev.lumen.runs.domain;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.regex.Pattern;

/**
 * The tags of a dataset's images, the slices its insights compare (e.g. {@code cage}): from the COCO
 * file's {@code images[].tags} and from a CSV part {@value #PART} of lines {@code file_name,tag;tag}
 * (a header line {@code file_name,tags} is allowed). Stored as {@code datasets/{id}/image-tags.json},
 * {@code {"file.png": ["cage"]}}.
 */
public final class DatasetTags {

    /** The upload part that carries the CSV. */
    public static final String PART = "tags";
    /** Object name under {@code datasets/{id}/}. */
    public static final String FILE = "image-tags.json";
    /** Most tags one image may carry. */
    public static final int MAX_TAGS_PER_IMAGE = 32;

    private static final Pattern TAG = Pattern.compile("[A-Za-z0-9][A-Za-z0-9_.-]{0,63}");
    private static final int MAX_PROBLEMS = 25;

    private DatasetTags() {
    }

    /**
     * The tags read, and what was wrong (each with its line or JSON path).
     *
     * @param byFile tags per image file name, sorted
     * @param problems what is wrong; the tags of a bad line are left out
     */
    public record Parsed(Map<String, List<String>> byFile, List<String> problems) {

        /** Images per tag, sorted by tag. */
        public Map<String, Integer> counts() {
            Map<String, Integer> counts = new TreeMap<>();
            byFile.values().forEach(tags -> tags.forEach(t -> counts.merge(t, 1, Integer::sum)));
            return counts;
        }
    }

    /** Reads a tags CSV against the dataset's file names. */
    public static Parsed fromCsv(byte[] csv, Set<String> files) {
        Map<String, Set<String>> tags = new TreeMap<>();
        List<String> problems = new ArrayList<>();
        String[] lines = new String(csv, StandardCharsets.UTF_8).split("\r?\n");
        for (int i = 0; i < lines.length; i++) {
            String line = lines[i].strip();
            if (line.isEmpty() || (i == 0 && line.toLowerCase(java.util.Locale.ROOT).startsWith("file_name,"))) {
                continue;
            }
            String at = "line " + (i + 1);
            int comma = line.indexOf(',');
            if (comma < 0) {
                add(problems, at + ": expected file_name,tag;tag");
                continue;
            }
            String file = CocoGroundTruth.baseName(line.substring(0, comma).strip());
            if (!files.contains(file)) {
                add(problems, at + ": " + file + " is not an image of the dataset");
                continue;
            }
            List<String> given = new ArrayList<>();
            for (String tag : line.substring(comma + 1).split(";")) {
                if (!tag.isBlank()) {
                    given.add(tag.strip());
                }
            }
            addTags(tags, file, given, at, problems);
        }
        return parsed(tags, problems);
    }

    /** The tags of the COCO file's {@code images[].tags} (already validated as strings by {@link CocoGroundTruth}). */
    public static Parsed fromCoco(byte[] json, Set<String> files, ObjectMapper mapper) {
        Map<String, Set<String>> tags = new TreeMap<>();
        List<String> problems = new ArrayList<>();
        JsonNode images;
        try {
            images = mapper.readTree(json).path("images");
        } catch (IOException e) {
            return new Parsed(Map.of(), List.of());
        }
        for (int i = 0; i < images.size(); i++) {
            JsonNode image = images.get(i);
            String file = CocoGroundTruth.baseName(image.path("file_name").asText());
            if (!files.contains(file) || !image.path("tags").isArray()) {
                continue;
            }
            List<String> given = new ArrayList<>();
            image.path("tags").forEach(t -> given.add(t.asText()));
            addTags(tags, file, given, "$.images[" + i + "].tags", problems);
        }
        return parsed(tags, problems);
    }

    /** Both sources together, each image's tags merged. */
    public static Parsed merge(Parsed a, Parsed b) {
        Map<String, Set<String>> tags = new TreeMap<>();
        for (Parsed parsed : List.of(a, b)) {
            parsed.byFile().forEach((file, list) -> tags.computeIfAbsent(file, f -> new LinkedHashSet<>()).addAll(list));
        }
        List<String> problems = new ArrayList<>(a.problems());
        problems.addAll(b.problems());
        return parsed(tags, problems);
    }

    private static void addTags(Map<String, Set<String>> tags, String file, List<String> given, String at,
            List<String> problems) {
        for (String tag : given) {
            if (!TAG.matcher(tag).matches()) {
                add(problems, at + ": tag '" + abbreviate(tag) + "' must be 1-64 letters, digits, '_', '.' or '-', starting"
                        + " with a letter or digit");
                return;
            }
        }
        Set<String> ofFile = tags.computeIfAbsent(file, f -> new LinkedHashSet<>());
        ofFile.addAll(given);
        if (ofFile.size() > MAX_TAGS_PER_IMAGE) {
            add(problems, at + ": " + file + " has more than " + MAX_TAGS_PER_IMAGE + " tags");
            tags.remove(file);
        }
    }

    private static Parsed parsed(Map<String, Set<String>> tags, List<String> problems) {
        Map<String, List<String>> byFile = new TreeMap<>();
        tags.forEach((file, set) -> {
            if (!set.isEmpty()) {
                byFile.put(file, List.copyOf(new java.util.TreeSet<>(set)));
            }
        });
        return new Parsed(byFile, List.copyOf(problems));
    }

    private static void add(List<String> problems, String problem) {
        if (problems.size() < MAX_PROBLEMS) {
            problems.add(problem);
        }
    }

    private static String abbreviate(String tag) {
        return tag.length() <= 40 ? tag : tag.substring(0, 40) + "...";
    }
}
