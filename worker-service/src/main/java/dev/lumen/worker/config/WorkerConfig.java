package dev.lumen.worker.config;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

import java.time.Duration;
import java.util.Optional;

/** Settings of worker-service (keys {@code lumen.worker.*}, env {@code LUMEN_WORKER_*}). */
@ConfigMapping(prefix = "lumen.worker")
public interface WorkerConfig {

    /** Local folder where downloaded models are cached. */
    @WithDefault("${java.io.tmpdir}/lumen-worker/models")
    String modelCacheDir();

    /** Models kept loaded in memory at once; the least recently used is closed first. */
    @WithDefault("2")
    int maxLoadedModels();

    /** Longest side of the saliency maps sent in result events; consumers resize to the image. */
    @WithDefault("256")
    int mapMaxSide();

    /**
     * Least time between two previews of one image (each an event per target) while RISE or D-RISE
     * samples it; the first early-stopping check is always sent.
     */
    @WithDefault("2s")
    Duration previewInterval();

    /**
     * Most image tasks one poll takes (the consumer's {@code max.poll.records}). Tasks of one run, model
     * and method are explained together: gradient methods in one batched forward run and one batched
     * gradient run; black-box methods one after the other. 1 takes one task at a time (decision 0083).
     */
    @WithDefault("8")
    int batchSize();

    /**
     * Most decoded image memory, in MiB (4 bytes per pixel), one explanation batch holds; a poll's images
     * beyond it are explained in further batches.
     */
    @WithDefault("256")
    int batchMemoryMb();

    /** This worker's id in result events; defaults to the host name. */
    Optional<String> id();

    /** CloudEvents {@code source} of the events this service publishes. */
    @WithDefault("/lumen/worker-service")
    String eventSource();
}
