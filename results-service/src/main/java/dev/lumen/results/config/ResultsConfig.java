package dev.lumen.results.config;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

import java.time.Duration;

/** Settings of results-service (keys {@code lumen.results.*}, env {@code LUMEN_RESULTS_*}). */
@ConfigMapping(prefix = "lumen.results")
public interface ResultsConfig {

    /** Opacity of the heatmap in overlay images, 0 to 1. */
    @WithDefault("0.5")
    double overlayAlpha();

    /** CloudEvents {@code source} of the events this service publishes. */
    @WithDefault("/lumen/results-service")
    String eventSource();

    /**
     * How long presigned image URLs in result listings stay valid. Short, because whoever holds a URL
     * can read the image without any token; long enough to browse a page of results.
     */
    @WithDefault("PT15M")
    Duration urlTtl();

    /**
     * Image results stored at once (each on its own thread: rendering, uploads, counting). Offsets are
     * committed only up to the oldest result not yet stored, so at-least-once holds; two deliveries of
     * one image are stored one after the other (decision 0063).
     */
    @WithDefault("4")
    int storeConcurrency();

    /** Files (maps, heatmaps, overlays) of all images being stored that are rendered and uploaded at once. */
    @WithDefault("8")
    int uploadConcurrency();

    /** Results per page when the client does not say. */
    @WithDefault("24")
    int defaultPageSize();

    /** The largest page a client may ask for. */
    @WithDefault("200")
    int maxPageSize();

    /**
     * Interval of keep-alive comments on Server-Sent Event streams, so that proxies and browsers do
     * not drop a stream of a run that makes no progress for a while.
     */
    @WithDefault("PT15S")
    Duration sseKeepAlive();

    /** Runs whose image records are kept in memory for listings (least recently used are dropped). */
    @WithDefault("32")
    int indexedRuns();

    /**
     * Images whose latest previews (decision 0045) are kept in memory at most; the image updated
     * longest ago is dropped first.
     */
    @WithDefault("1000")
    int previewImages();

    /**
     * Where run-service answers, for the part of the API that results-service forwards to it so that
     * the web UI has one origin (models, datasets, methods, creating, cancelling and deleting runs).
     * Env {@code RUN_SERVICE_URL}.
     */
    @WithDefault("http://localhost:8081")
    String runServiceUrl();
}
