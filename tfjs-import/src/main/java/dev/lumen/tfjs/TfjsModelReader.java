package dev.lumen.tfjs;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/**
 * Finds and reads a TF.js model: a {@code model.json} (or any {@code NAME.json}) with binary
 * shards next to it, or a JavaScript bundle ({@code model.min.js} with {@code *.min.js} shards, as
 * nsfwjs ships). Refuses Keras layers models, which hold no graph.
 */
final class TfjsModelReader {

    private static final String GRAPH_MODEL = "graph-model";
    private static final ObjectMapper JSON = new ObjectMapper();

    private TfjsModelReader() {
    }

    /** Reads {@code path}: a model file or a directory holding exactly one model. */
    static TfjsModel read(Path path) {
        Path file = modelFile(path);
        boolean bundle = file.getFileName().toString().endsWith(".js");
        JsonNode json = bundle ? JsBundle.exportedObject(readText(file), file.toString()) : parseJson(file);
        checkGraphModel(json, file);
        List<WeightSpec> specs = new ArrayList<>();
        ByteArrayOutputStream data = new ByteArrayOutputStream();
        for (JsonNode group : json.path("weightsManifest")) {
            for (JsonNode spec : group.path("weights")) {
                specs.add(WeightSpec.fromJson(spec, file.toString()));
            }
            for (JsonNode shard : group.path("paths")) {
                data.writeBytes(readShard(file.getParent(), shard.asText(), bundle));
            }
        }
        return new TfjsModel(file, json, specs, data.toByteArray());
    }

    private static Path modelFile(Path path) {
        if (Files.isRegularFile(path)) {
            return path.toAbsolutePath();
        }
        if (!Files.isDirectory(path)) {
            throw new TfjsImportException(path + ": no such file or directory");
        }
        for (String name : List.of("model.json", "model.min.js", "model.js")) {
            if (Files.isRegularFile(path.resolve(name))) {
                return path.resolve(name).toAbsolutePath();
            }
        }
        List<Path> candidates;
        try (Stream<Path> files = Files.list(path)) {
            candidates = files.filter(f -> f.getFileName().toString().endsWith(".json")).sorted().toList();
        } catch (IOException e) {
            throw new TfjsImportException(path + ": cannot list the directory: " + e.getMessage(), e);
        }
        if (candidates.size() == 1) {
            return candidates.get(0).toAbsolutePath();
        }
        throw new TfjsImportException(path + ": expected a model.json or model.min.js"
                + (candidates.isEmpty() ? "" : "; it holds several models, name one of "
                        + candidates.stream().map(p -> p.getFileName().toString()).toList()));
    }

    private static void checkGraphModel(JsonNode json, Path file) {
        String format = json.path("format").asText("");
        JsonNode topology = json.get("modelTopology");
        boolean layers = format.equals("layers-model")
                || topology != null && (topology.has("model_config") || topology.has("class_name"));
        if (layers) {
            throw new UnsupportedModelException(file + " is a TF.js layers model (Keras format \"layers-model\"); only"
                    + " graph models can be imported. Convert the Keras model with tensorflowjs_converter"
                    + " --output_format=tfjs_graph_model first.");
        }
        if (!format.isEmpty() && !format.equals(GRAPH_MODEL)) {
            throw new UnsupportedModelException(file + " has format \"" + format + "\"; only \"" + GRAPH_MODEL
                    + "\" models can be imported");
        }
        if (topology == null || !topology.path("node").isArray()) {
            throw new TfjsImportException(file + ": modelTopology.node is missing; not a TF.js graph model");
        }
    }

    private static byte[] readShard(Path dir, String name, boolean bundle) {
        for (String candidate : bundle ? List.of(name + ".min.js", name + ".js", name) : List.of(name)) {
            Path shard = dir.resolve(candidate);
            if (Files.isRegularFile(shard)) {
                return candidate.endsWith(".js")
                        ? JsBundle.exportedBase64(readText(shard), shard.toString())
                        : readBytes(shard);
            }
        }
        throw new TfjsImportException(dir.resolve(name) + ": weight shard not found");
    }

    private static JsonNode parseJson(Path file) {
        try {
            return JSON.readTree(file.toFile());
        } catch (JsonProcessingException e) {
            throw new TfjsImportException(file + ": not valid JSON: " + e.getOriginalMessage(), e);
        } catch (IOException e) {
            throw new TfjsImportException(file + ": cannot read: " + e.getMessage(), e);
        }
    }

    private static String readText(Path file) {
        return new String(readBytes(file), StandardCharsets.UTF_8);
    }

    private static byte[] readBytes(Path file) {
        try {
            return Files.readAllBytes(file);
        } catch (IOException e) {
            throw new TfjsImportException(file + ": cannot read: " + e.getMessage(), e);
        }
    }
}
