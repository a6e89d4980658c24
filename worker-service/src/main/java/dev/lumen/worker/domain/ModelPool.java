package dev.lumen.worker.domain;

import dev.lumen.explainer.Explainer;
import dev.lumen.explainer.model.LoadedModel;
import dev.lumen.worker.config.WorkerConfig;
import dev.lumen.worker.storage.ModelFiles;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import org.jboss.logging.Logger;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Loaded models and their explainers, bounded by {@link WorkerConfig#maxLoadedModels()}: the least
 * recently used model is unloaded when another one must be loaded.
 *
 * <p>Explainers are lent out as {@link Lease}s. A model is closed only once no lease on it is
 * open: closing a TensorFlow session under a running explanation crashes the process (SIGSEGV in
 * the executor), and a shutdown in the middle of an explanation must let it finish instead.
 */
@ApplicationScoped
public class ModelPool {

    private static final Logger LOG = Logger.getLogger(ModelPool.class);
    /** How long shutdown waits for running explanations before leaving their models to the OS. */
    private static final long SHUTDOWN_WAIT_MS = 30_000;

    private final ModelFiles files;
    private final int capacity;
    private final WorkerMetrics metrics;
    private final LinkedHashMap<String, Loaded> loaded = new LinkedHashMap<>(8, 0.75f, true);
    private final List<Loaded> retiredInUse = new ArrayList<>();

    @Inject
    public ModelPool(ModelFiles files, WorkerConfig config, WorkerMetrics metrics) {
        this(files, config.maxLoadedModels(), metrics);
    }

    ModelPool(ModelFiles files, int capacity) {
        this(files, capacity, WorkerMetrics.detached());
    }

    ModelPool(ModelFiles files, int capacity, WorkerMetrics metrics) {
        this.files = files;
        this.capacity = Math.max(1, capacity);
        this.metrics = metrics;
    }

    /** The use of one model's explainer; close it when the explanation is done. */
    public final class Lease implements AutoCloseable {

        private final Loaded entry;
        private boolean open = true;

        private Lease(Loaded entry) {
            this.entry = entry;
        }

        public Explainer explainer() {
            return entry.explainer();
        }

        @Override
        public void close() {
            synchronized (ModelPool.this) {
                if (open) {
                    open = false;
                    release(entry);
                }
            }
        }
    }

    /** A lease on the explainer of model {@code modelId}, downloading and loading it when needed. */
    public synchronized Lease lease(String modelId) {
        Loaded entry = loaded.get(modelId);
        if (entry == null) {
            LoadedModel model;
            try {
                model = metrics.modelLoad(modelId, () -> LoadedModel.load(files.local(modelId)));
            } catch (RuntimeException e) {
                files.evict(modelId);
                throw e;
            }
            evictBeyond(capacity - 1);
            entry = new Loaded(modelId, model, new Explainer(model));
            loaded.put(modelId, entry);
            LOG.infof("model %s: loaded (%d in memory)", modelId, loaded.size());
        } else {
            metrics.modelCacheHit(modelId);
        }
        entry.users++;
        return new Lease(entry);
    }

    private void release(Loaded entry) {
        entry.users--;
        if (entry.users == 0 && retiredInUse.remove(entry)) {
            entry.model().close();
            LOG.infof("model %s: unloaded after its last explanation", entry.modelId());
            notifyAll();
        }
    }

    private void evictBeyond(int keep) {
        var it = loaded.entrySet().iterator();
        while (loaded.size() > keep && it.hasNext()) {
            Map.Entry<String, Loaded> eldest = it.next();
            it.remove();
            retire(eldest.getValue());
        }
    }

    private void retire(Loaded entry) {
        if (entry.users == 0) {
            entry.model().close();
            LOG.infof("model %s: unloaded (least recently used)", entry.modelId());
        } else {
            retiredInUse.add(entry);
        }
    }

    @PreDestroy
    synchronized void closeAll() {
        evictBeyond(0);
        long deadline = System.currentTimeMillis() + SHUTDOWN_WAIT_MS;
        while (!retiredInUse.isEmpty() && System.currentTimeMillis() < deadline) {
            try {
                wait(Math.max(1, deadline - System.currentTimeMillis()));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
        }
        if (!retiredInUse.isEmpty()) {
            LOG.warnf("%d model(s) still explaining at shutdown; left open for the process exit", retiredInUse.size());
        }
    }

    /** A loaded model; {@code users} counts open leases (guarded by the pool's lock). */
    private static final class Loaded {
        private final String modelId;
        private final LoadedModel model;
        private final Explainer explainer;
        private int users;

        Loaded(String modelId, LoadedModel model, Explainer explainer) {
            this.modelId = modelId;
            this.model = model;
            this.explainer = explainer;
        }

        String modelId() {
            return modelId;
        }

        LoadedModel model() {
            return model;
        }

        Explainer explainer() {
            return explainer;
        }
    }
}
