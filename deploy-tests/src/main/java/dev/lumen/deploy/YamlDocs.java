package dev.lumen.deploy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.NullNode;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;
import org.yaml.snakeyaml.nodes.Tag;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Reads YAML files (one or many documents) into Jackson trees. SnakeYAML rather than Jackson's YAML
 * module because compose files use anchors and merge keys ({@code <<}), which it resolves.
 */
public final class YamlDocs {

    /** Plain Jackson mapper used to turn SnakeYAML's maps and lists into trees. */
    static final ObjectMapper JSON = new ObjectMapper();

    private YamlDocs() {
    }

    /** Every non-empty document of a file, in order. */
    public static List<JsonNode> readAll(Path file) {
        return parseAll(read(file), file.toString());
    }

    /** The single document of a file; fails when it holds none or several. */
    public static JsonNode readOne(Path file) {
        List<JsonNode> docs = readAll(file);
        if (docs.size() != 1) {
            throw new IllegalArgumentException(file + ": expected one YAML document, found " + docs.size());
        }
        return docs.get(0);
    }

    /** Every non-empty document of a YAML text; {@code origin} names it in error messages. */
    public static List<JsonNode> parseAll(String text, String origin) {
        List<JsonNode> docs = new ArrayList<>();
        try {
            for (Object doc : yaml().loadAll(text)) {
                if (doc != null) {
                    JsonNode node = JSON.valueToTree(doc);
                    if (!(node instanceof NullNode)) {
                        docs.add(node);
                    }
                }
            }
        } catch (RuntimeException e) {
            throw new IllegalArgumentException(origin + ": invalid YAML: " + e.getMessage(), e);
        }
        return docs;
    }

    static String read(Path file) {
        try {
            return Files.readString(file);
        } catch (IOException e) {
            throw new UncheckedIOException(file + ": cannot read", e);
        }
    }

    private static Yaml yaml() {
        LoaderOptions options = new LoaderOptions();
        // kubectl and compose reject duplicate keys; a duplicate silently dropping a value would hide bugs.
        options.setAllowDuplicateKeys(false);
        return new Yaml(new StringTimestamps(options));
    }

    /**
     * Leaves timestamp-looking scalars as strings: Kubernetes and compose read them as strings, while
     * SnakeYAML would make {@link java.util.Date}s of them.
     */
    private static final class StringTimestamps extends SafeConstructor {
        StringTimestamps(LoaderOptions options) {
            super(options);
            this.yamlConstructors.put(Tag.TIMESTAMP, new ConstructYamlStr());
        }
    }
}
