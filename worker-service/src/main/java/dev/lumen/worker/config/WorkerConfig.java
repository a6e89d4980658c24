package dev.lumen.worker.config;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

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

    /** This worker's id in result events; defaults to the host name. */
    Optional<String> id();

    /** CloudEvents {@code source} of the events this service publishes. */
    @WithDefault("/lumen/worker-service")
    String eventSource();
}
