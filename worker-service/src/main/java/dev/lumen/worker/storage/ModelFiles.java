package dev.lumen.worker.storage;

import dev.lumen.service.storage.ObjectStore;
import dev.lumen.worker.config.WorkerConfig;
import jakarta.enterprise.context.ApplicationScoped;
import org.jboss.logging.Logger;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;

/**
 * Local copies of registered models: {@code models/{id}/...} is downloaded once into the cache folder
 * (into a temporary folder first, renamed when complete, so a crash never leaves a half model).
 */
@ApplicationScoped
public class ModelFiles {

    private static final Logger LOG = Logger.getLogger(ModelFiles.class);

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
        try {
            Files.createDirectories(target.getParent());
            Path partial = Files.createTempDirectory(target.getParent(), "partial-");
            for (String key : keys) {
                Path file = partial.resolve(key.substring(prefix.length())).normalize();
                if (!file.startsWith(partial)) {
                    throw new MissingModelException("model '" + modelId + "' has an object outside its folder: " + key);
                }
                Files.createDirectories(file.getParent());
                Files.write(file, store.get(key).orElseThrow(() ->
                        new MissingModelException("model object vanished while downloading: " + key)));
            }
            Files.move(partial, target, StandardCopyOption.ATOMIC_MOVE);
            LOG.infof("model %s: downloaded %d files to %s", modelId, keys.size(), target);
            return target;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot cache model " + modelId + ": " + e.getMessage(), e);
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
