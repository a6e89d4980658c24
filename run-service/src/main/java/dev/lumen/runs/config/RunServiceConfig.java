package dev.lumen.runs.config;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

/** Settings of run-service (keys {@code lumen.runs.*}, env {@code LUMEN_RUNS_*}). */
@ConfigMapping(prefix = "lumen.runs")
public interface RunServiceConfig {

    /** Largest image count one run may request. */
    @WithDefault("10000")
    int maxImageCount();

    /**
     * Tenant of requests from other services that carry none, and owner of models and datasets stored
     * without a tenant (seeded directly into object storage).
     */
    @WithDefault("default")
    String defaultTenant();

    /** CloudEvents {@code source} of the events this service publishes. */
    @WithDefault("/lumen/run-service")
    String eventSource();

    /** Base URL of results-service, used for the links returned with a new run. */
    @WithDefault("http://localhost:8082")
    String resultsBaseUrl();
}
