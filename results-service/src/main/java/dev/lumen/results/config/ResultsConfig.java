package dev.lumen.results.config;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

/** Settings of results-service (keys {@code lumen.results.*}, env {@code LUMEN_RESULTS_*}). */
@ConfigMapping(prefix = "lumen.results")
public interface ResultsConfig {

    /** Opacity of the heatmap in overlay images, 0 to 1. */
    @WithDefault("0.5")
    double overlayAlpha();

    /** CloudEvents {@code source} of the events this service publishes. */
    @WithDefault("/lumen/results-service")
    String eventSource();
}
