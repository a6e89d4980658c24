package dev.lumen.runs.storage;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.lumen.service.storage.ObjectStore;
import jakarta.enterprise.context.ApplicationScoped;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.stream.Stream;

/**
 * Registered models in object storage: {@code models/{id}/} holds the SavedModel's files,
 * {@code lumen-model.json}, {@code lumen-operations.txt} and {@code digest.json} (SHA-256 per file, a content digest over all of them,
 * tenant, name, task, creation time). A model is stored only after it was fully validated; its files
 * go first, {@code digest.json} next and the descriptor last, since the descriptor is what makes a
 * model exist for {@link ModelCatalog}.
 */
@ApplicationScoped
public class ModelRegistry {

    /** The digest file's name inside a model's folder. */
    public static final String DIGEST_FILE = "digest.json";
    /** The descriptor's name inside a model's folder. */
    public static final String DESCRIPTOR_FILE = "lumen-model.json";
    /**
     * The operation names of the model's graph, one a line (function bodies as {@code call/node}),
     * written at registration so that a run's {@code targetLayer} is checked without reading the graph.
     */
    public static final String OPERATIONS_FILE = "lumen-operations.txt";

    private final ObjectStore store;
    private final ObjectMapper mapper;

    public ModelRegistry(ObjectStore store, ObjectMapper mapper) {
        this.store = store;
        this.mapper = mapper;
    }

    /**
     * The contents of {@code digest.json}.
     *
     * @param files SHA-256 (hex) per file path relative to the model's folder (every file but digest.json)
     * @param contentDigest {@code sha256:} over the sorted lines {@code path NUL sha256}
     * @param sizeBytes the files' total size
     */
    public record Digest(String modelId, String tenant, String name, String task, Instant createdAt,
                         Map<String, String> files, String contentDigest, long sizeBytes) {
    }

    /** A stored model: its digest (null for models seeded without one) and its descriptor. */
    public record StoredModel(String modelId, Digest digest, JsonNode descriptor) {
    }

    /** The prefix of model {@code modelId}. */
    public static String prefix(String modelId) {
        return "models/" + modelId + "/";
    }

    /**
     * Stores the SavedModel in {@code modelDir} (its files, relative paths kept) with {@code descriptor}
     * (the tenant set) and its digest; on a failure half-way everything written is removed again.
     */
    public Digest save(String modelId, String tenant, String name, Path modelDir, ObjectNode descriptor) {
        descriptor.put("tenant", tenant);
        byte[] descriptorBytes;
        Map<String, Path> files = new TreeMap<>();
        try (Stream<Path> walk = Files.walk(modelDir)) {
            walk.filter(Files::isRegularFile).forEach(f -> files.put(modelDir.relativize(f).toString().replace('\\', '/'), f));
            files.remove(DESCRIPTOR_FILE);
            files.remove(DIGEST_FILE);
            descriptorBytes = mapper.writerWithDefaultPrettyPrinter().writeValueAsBytes(descriptor);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        Map<String, String> sums = new TreeMap<>();
        long size = descriptorBytes.length;
        String prefix = prefix(modelId);
        try {
            for (Map.Entry<String, Path> file : files.entrySet()) {
                byte[] bytes = Files.readAllBytes(file.getValue());
                sums.put(file.getKey(), sha256(bytes));
                size += bytes.length;
                store.put(prefix + file.getKey(), bytes, "application/octet-stream");
            }
            sums.put(DESCRIPTOR_FILE, sha256(descriptorBytes));
            Digest digest = new Digest(modelId, tenant, name, descriptor.path("task").asText(), Instant.now(), sums,
                    contentDigest(sums), size);
            store.put(prefix + DIGEST_FILE, mapper.writerWithDefaultPrettyPrinter().writeValueAsBytes(digest), "application/json");
            store.put(prefix + DESCRIPTOR_FILE, descriptorBytes, "application/json");
            return digest;
        } catch (IOException | RuntimeException e) {
            store.deletePrefix(prefix);
            if (e instanceof IOException io) {
                throw new UncheckedIOException(io);
            }
            throw (RuntimeException) e;
        }
    }

    /** The model, when its descriptor exists. */
    public Optional<StoredModel> find(String modelId) {
        Optional<byte[]> descriptor = store.get(prefix(modelId) + DESCRIPTOR_FILE);
        if (descriptor.isEmpty()) {
            return Optional.empty();
        }
        JsonNode json;
        try {
            json = mapper.readTree(descriptor.get());
        } catch (IOException e) {
            json = mapper.createObjectNode();
        }
        Digest digest = store.get(prefix(modelId) + DIGEST_FILE).map(bytes -> {
            try {
                return mapper.readValue(bytes, Digest.class);
            } catch (IOException e) {
                return null;
            }
        }).orElse(null);
        return Optional.of(new StoredModel(modelId, digest, json));
    }

    /**
     * Removes a model: its descriptor first, so that it is gone from {@link #find} and {@link #all} at
     * once even if removing the rest is interrupted (deleting again finishes it).
     *
     * @return the objects removed
     */
    public int delete(String modelId) {
        String prefix = prefix(modelId);
        boolean described = store.exists(prefix + DESCRIPTOR_FILE);
        store.delete(prefix + DESCRIPTOR_FILE);
        return (described ? 1 : 0) + store.deletePrefix(prefix);
    }

    /** Every model whose descriptor can be read (owner filtering is the caller's). */
    public List<StoredModel> all() {
        List<StoredModel> models = new ArrayList<>();
        for (String folder : store.listFolders("models/")) {
            find(folder).ifPresent(models::add);
        }
        return models;
    }

    /** {@code sha256:} over the sorted lines {@code path NUL sha256-hex}, as workers recompute it. */
    public static String contentDigest(Map<String, String> sums) {
        StringBuilder lines = new StringBuilder();
        new TreeMap<>(sums).forEach((path, sum) -> lines.append(path).append('\u0000').append(sum).append('\n'));
        return "sha256:" + sha256(lines.toString().getBytes(StandardCharsets.UTF_8));
    }

    /** The SHA-256 of {@code bytes} in lower-case hex. */
    public static String sha256(byte[] bytes) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
