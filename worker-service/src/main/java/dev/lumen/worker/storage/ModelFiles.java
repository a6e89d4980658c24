package dev.lumen.worker.storage;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.lumen.service.storage.ObjectStore;
import dev.lumen.worker.config.WorkerConfig;
import jakarta.enterprise.context.ApplicationScoped;
import org.jboss.logging.Logger;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;

/**
 * Local copies of registered models: {@code models/{id}/...} is downloaded once into the cache folder
 * (into a temporary folder first, renamed when complete, so a crash never leaves a half model). When the
 * model has a {@code digest.json}, every downloaded file is checked against its SHA-256 before the folder
 * is kept: a mismatch fails the load with the file named and caches nothing.
 */
@ApplicationScoped
public class ModelFiles {

    private static final Logger LOG = Logger.getLogger(ModelFiles.class);
    /** Written by run-service's model registry: SHA-256 per file; absent for models seeded without it. */
    static final String DIGEST_FILE = "digest.json";
    private static final ObjectMapper JSON = new ObjectMapper();

    private final ObjectStore store;
    private final Path cacheDir;

    public ModelFiles(ObjectStore store, WorkerConfig config) {
        this.store = store;
        this.cacheDir = Path.of(config.modelCacheDir());
    }

    /**
     * The local folder of model {@code modelId}, downloading it when missing or when the stored model
     * changed since it was cached (the folder is named after the stored objects' fingerprint).
     */
    public synchronized Path local(String modelId) {
        String prefix = "models/" + modelId + "/";
        Path target = cacheDir.resolve(modelId).resolve(store.fingerprint(prefix).substring(0, 16));
        if (Files.isDirectory(target)) {
            return target;
        }
        List<String> keys = store.list(prefix);
        if (keys.isEmpty()) {
            throw new MissingModelException("model '" + modelId + "' does not exist in object storage");
        }
        Path partial = null;
        try {
            Files.createDirectories(target.getParent());
            partial = Files.createTempDirectory(target.getParent(), "partial-");
            Map<String, String> sums = new TreeMap<>();
            for (String key : keys) {
                String relative = key.substring(prefix.length());
                Path file = partial.resolve(relative).normalize();
                if (!file.startsWith(partial)) {
                    throw new MissingModelException("model '" + modelId + "' has an object outside its folder: " + key);
                }
                byte[] bytes = store.get(key).orElseThrow(() ->
                        new MissingModelException("model object vanished while downloading: " + key));
                sums.put(relative, sha256(bytes));
                Files.createDirectories(file.getParent());
                Files.write(file, bytes);
            }
            verify(modelId, partial.resolve(DIGEST_FILE), sums);
            Files.move(partial, target, StandardCopyOption.ATOMIC_MOVE);
            partial = null;
            LOG.infof("model %s: downloaded %d files to %s", modelId, keys.size(), target);
            return target;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot cache model " + modelId + ": " + e.getMessage(), e);
        } finally {
            if (partial != null) {
                deleteTree(partial);
            }
        }
    }

    /**
     * Checks the downloaded files against {@code digest.json} (written by run-service's model registry):
     * every listed file must be there with its SHA-256, and nothing else may be. Models without
     * {@code digest.json} (seeded straight into storage) are not checked.
     */
    private void verify(String modelId, Path digestFile, Map<String, String> sums) throws IOException {
        if (!Files.isRegularFile(digestFile)) {
            return;
        }
        JsonNode digest;
        try {
            digest = JSON.readTree(Files.readAllBytes(digestFile));
        } catch (IOException e) {
            throw new MissingModelException("model '" + modelId + "': digest.json is unreadable: " + e.getMessage());
        }
        JsonNode files = digest == null ? null : digest.get("files");
        if (files == null || !files.isObject()) {
            throw new MissingModelException("model '" + modelId + "': digest.json lists no files");
        }
        Map<String, String> actual = new TreeMap<>(sums);
        actual.remove(DIGEST_FILE);
        for (Iterator<Map.Entry<String, JsonNode>> it = files.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> expected = it.next();
            String sum = actual.remove(expected.getKey());
            if (sum == null) {
                throw new MissingModelException("model '" + modelId + "': file " + expected.getKey()
                        + " listed in digest.json is missing");
            }
            if (!sum.equalsIgnoreCase(expected.getValue().asText())) {
                throw new MissingModelException("model '" + modelId + "': file " + expected.getKey()
                        + " does not match its digest (sha256 " + sum + ", digest.json says " + expected.getValue().asText() + ")");
            }
        }
        if (!actual.isEmpty()) {
            throw new MissingModelException("model '" + modelId + "': files not listed in digest.json: " + actual.keySet());
        }
    }

    private static String sha256(byte[] bytes) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private static void deleteTree(Path dir) {
        try (Stream<Path> files = Files.walk(dir)) {
            files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException e) {
            LOG.warnf("cannot remove %s: %s", dir, e.getMessage());
        }
    }

    /** Removes the local copy, e.g. after it failed to load. */
    public synchronized void evict(String modelId) {
        Path target = cacheDir.resolve(modelId);
        if (!Files.exists(target)) {
            return;
        }
        try (Stream<Path> files = Files.walk(target)) {
            files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException e) {
            LOG.warnf("cannot evict cached model %s: %s", modelId, e.getMessage());
        }
    }
}
