package dev.lumen.worker.domain;

import dev.lumen.explainer.Explainer;
import dev.lumen.explainer.model.LoadedModel;
import dev.lumen.worker.config.WorkerConfig;
import dev.lumen.worker.storage.ModelFiles;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import org.jboss.logging.Logger;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Loaded models and their explainers, bounded by {@link WorkerConfig#maxLoadedModels()}: the least
 * recently used model is closed when another one must be loaded.
 */
@ApplicationScoped
public class ModelPool {

    private static final Logger LOG = Logger.getLogger(ModelPool.class);

    private final ModelFiles files;
    private final int capacity;
    private final LinkedHashMap<String, Loaded> loaded = new LinkedHashMap<>(8, 0.75f, true);

    public ModelPool(ModelFiles files, WorkerConfig config) {
        this.files = files;
        this.capacity = Math.max(1, config.maxLoadedModels());
    }

    /** The explainer of model {@code modelId}, downloading and loading it when needed. */
    public synchronized Explainer explainer(String modelId) {
        Loaded entry = loaded.get(modelId);
        if (entry != null) {
            return entry.explainer();
        }
        LoadedModel model;
        try {
            model = LoadedModel.load(files.local(modelId));
        } catch (RuntimeException e) {
            files.evict(modelId);
            throw e;
        }
        evictBeyond(capacity - 1);
        entry = new Loaded(model, new Explainer(model));
        loaded.put(modelId, entry);
        LOG.infof("model %s: loaded (%d in memory)", modelId, loaded.size());
        return entry.explainer();
    }

    private void evictBeyond(int keep) {
        var it = loaded.entrySet().iterator();
        while (loaded.size() > keep && it.hasNext()) {
            Map.Entry<String, Loaded> eldest = it.next();
            it.remove();
            eldest.getValue().model().close();
            LOG.infof("model %s: unloaded (least recently used)", eldest.getKey());
        }
    }

    @PreDestroy
    synchronized void closeAll() {
        evictBeyond(0);
    }

    private record Loaded(LoadedModel model, Explainer explainer) {
    }
}
