package dev.lumen.results.insights;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * The tags of a dataset's images ({@code datasets/{id}/image-tags.json}, written by run-service at upload
 * from the COCO file's {@code images[].tags} and the tags CSV): the slices insights compare, e.g. the
 * images tagged {@code cage} against the rest.
 */
public final class ImageTags {

    /** Object name of a dataset's image tags, under {@code datasets/{id}/}. */
    public static final String FILE = "image-tags.json";
    /** A dataset without tags. */
    public static final ImageTags NONE = new ImageTags(Map.of());

    private final Map<String, List<String>> byFile;

    /** Tags per image file name. */
    public ImageTags(Map<String, List<String>> byFile) {
        this.byFile = Map.copyOf(byFile);
    }

    /** Parses {@code {"file.png": ["cage", ...], ...}}. */
    public static ImageTags parse(byte[] json, ObjectMapper mapper) {
        try {
            return new ImageTags(mapper.readValue(json, new TypeReference<TreeMap<String, List<String>>>() { }));
        } catch (IOException e) {
            throw new UncheckedIOException("image tags are not a JSON object of file name to tags", e);
        }
    }

    /** Every tag of the dataset, sorted. */
    public TreeSet<String> all() {
        TreeSet<String> tags = new TreeSet<>();
        byFile.values().forEach(tags::addAll);
        return tags;
    }

    /** The image's tags, looked up by its id and by the last part of its storage key; empty without any. */
    public List<String> of(String imageId, String imageKey) {
        List<String> tags = byFile.get(imageId);
        if (tags == null && imageKey != null) {
            tags = byFile.get(imageKey.substring(imageKey.lastIndexOf('/') + 1));
        }
        return tags == null ? List.of() : tags;
    }
}
