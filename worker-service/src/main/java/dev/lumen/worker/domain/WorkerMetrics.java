package dev.lumen.worker.domain;

import dev.lumen.contracts.ImageResult;
import dev.lumen.contracts.Outcome;
import dev.lumen.contracts.RunCancelled;
import dev.lumen.explainer.ExplainResult;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import java.time.Duration;
import java.util.Locale;
import java.util.function.Supplier;

/**
 * The worker's meters, served on {@code /q/metrics} (Prometheus names in brackets):
 *
 * <ul>
 *   <li>{@code lumen.worker.images} [{@code lumen_worker_images_total}]: images whose result the broker
 *       acknowledged, by {@code outcome} (explained, skipped, failed), {@code reason} (a fixed category,
 *       see {@link #reasonOf}), {@code method} and {@code model};</li>
 *   <li>{@code lumen.worker.explain} [{@code lumen_worker_explain_seconds}]: explain time of those images,
 *       a histogram by {@code method}, {@code model} and {@code outcome};</li>
 *   <li>{@code lumen.worker.forward.passes} [{@code lumen_worker_forward_passes_total}]: images run
 *       through a whole model, by method and model;</li>
 *   <li>{@code lumen.worker.masks} [{@code lumen_worker_masks}]: masks a sampling method (RISE, D-RISE)
 *       drew per image (sum: all masks; count: images sampled), by method and model;</li>
 *   <li>{@code lumen.worker.forward.batch} [{@code lumen_worker_forward_batch}]: images one forward run
 *       of a sampling method scored at once;</li>
 *   <li>{@code lumen.worker.batch.images} [{@code lumen_worker_batch_images}]: image tasks taken per
 *       poll (at most {@code lumen.worker.batch-size});</li>
 *   <li>{@code lumen.worker.busy} [{@code lumen_worker_busy_seconds_total}]: time spent handling polls
 *       (fetching, decoding, explaining and publishing), so that images over it is the worker's own
 *       throughput whatever the rest of the platform does;</li>
 *   <li>{@code lumen.worker.model.loads} [{@code lumen_worker_model_loads_total}] by {@code model} and
 *       {@code outcome} (loaded, failed), with the time in {@code lumen.worker.model.load}
 *       [{@code lumen_worker_model_load_seconds}], and {@code lumen.worker.model.cache.hits}
 *       [{@code lumen_worker_model_cache_hits_total}]: leases served by a model already in memory.</li>
 * </ul>
 *
 * <p>Reasons are categories, never the free text of a result, so that a corrupt image per request
 * cannot grow the number of series.
 */
@ApplicationScoped
public class WorkerMetrics {

    /** Prefix of the reason of an image whose model could not be loaded. */
    static final String MODEL_NOT_LOADED = "model could not be loaded: ";
    /** Prefix of the reason of an image missing from object storage. */
    static final String IMAGE_NOT_FOUND = "image not found in object storage: ";
    /** Prefix of the reason of an image that is not a decodable picture. */
    static final String IMAGE_NOT_DECODED = "image could not be decoded: ";
    /** Prefix of the reason of a task whose method, parameters or objects do not fit the model. */
    static final String CANNOT_EXPLAIN = "cannot explain: ";
    /** Prefix of the reason of an explanation that threw. */
    static final String EXPLANATION_FAILED = "explanation failed: ";
    /** Prefix of the reason of a result that could not be published and was replaced. */
    public static final String NOT_PUBLISHED_PREFIX = "result could not be published: ";

    private static final Duration[] EXPLAIN_BUCKETS = {
            Duration.ofMillis(10), Duration.ofMillis(25), Duration.ofMillis(50), Duration.ofMillis(100),
            Duration.ofMillis(250), Duration.ofMillis(500), Duration.ofSeconds(1), Duration.ofMillis(2500),
            Duration.ofSeconds(5), Duration.ofSeconds(10), Duration.ofSeconds(30), Duration.ofMinutes(1),
            Duration.ofMinutes(2), Duration.ofMinutes(5), Duration.ofMinutes(10), Duration.ofMinutes(30)};

    private final MeterRegistry registry;

    @Inject
    public WorkerMetrics(MeterRegistry registry) {
        this.registry = registry;
    }

    /** Meters that go nowhere a scraper sees, for code used outside the application (unit tests). */
    static WorkerMetrics detached() {
        return new WorkerMetrics(new SimpleMeterRegistry());
    }

    /** An image's result was acknowledged by the broker: count it and its explain time. */
    public void imageDone(ImageResult result) {
        String outcome = result.outcome().name().toLowerCase(Locale.ROOT);
        String method = result.method();
        String model = result.model().id();
        Counter.builder("lumen.worker.images").description("Images whose result the broker acknowledged")
                .tags("outcome", outcome, "reason", reasonOf(result), "method", method, "model", model)
                .register(registry).increment();
        if (result.timing() != null) {
            Timer.builder("lumen.worker.explain").description("Time to explain one image")
                    .tags("method", method, "model", model, "outcome", outcome)
                    .serviceLevelObjectives(EXPLAIN_BUCKETS)
                    .register(registry).record(Duration.ofMillis(result.timing().explainMs()));
            Counter.builder("lumen.worker.forward.passes").description("Images run through a whole model")
                    .tags("method", method, "model", model)
                    .register(registry).increment(result.timing().forwardPasses());
        }
    }

    /** What sampling cost: masks drawn and the forward batch, for RISE and D-RISE only. */
    public void sampled(String method, String model, ExplainResult explained) {
        if (explained.masksUsed() <= 0) {
            return;
        }
        DistributionSummary.builder("lumen.worker.masks").description("Masks drawn per sampled image")
                .tags("method", method, "model", model).register(registry).record(explained.masksUsed());
        DistributionSummary.builder("lumen.worker.forward.batch")
                .description("Images one forward run of a sampling method scored at once")
                .tags("method", method, "model", model).register(registry).record(explained.forwardBatch());
    }

    /** A poll handed this many image tasks to one explanation round. */
    public void batch(int images) {
        DistributionSummary.builder("lumen.worker.batch.images").description("Image tasks taken per poll")
                .register(registry).record(images);
    }

    /** A poll's tasks took this long to handle, from the first fetch to the broker's last acknowledgement. */
    public void busy(Duration handling) {
        Counter.builder("lumen.worker.busy").baseUnit("seconds").description("Time spent handling polls")
                .register(registry).increment(handling.toNanos() / 1e9);
    }

    /** Loads a model, counting and timing the load whether it succeeds or not. */
    public <T> T modelLoad(String model, Supplier<T> load) {
        long started = System.nanoTime();
        String outcome = "failed";
        try {
            T loaded = load.get();
            outcome = "loaded";
            return loaded;
        } finally {
            Timer.builder("lumen.worker.model.load").description("Time to download and load a model")
                    .tags("model", model, "outcome", outcome).register(registry)
                    .record(Duration.ofNanos(System.nanoTime() - started));
            Counter.builder("lumen.worker.model.loads").description("Model loads")
                    .tags("model", model, "outcome", outcome).register(registry).increment();
        }
    }

    /** A lease was served by a model already in memory. */
    public void modelCacheHit(String model) {
        Counter.builder("lumen.worker.model.cache.hits").description("Leases served by a loaded model")
                .tags("model", model).register(registry).increment();
    }

    /**
     * The category of a result's reason: {@code none} for an explained image; for a skipped one
     * {@code cancelled} or {@code no-target} (the model predicted nothing to explain); for a failed one
     * {@code model}, {@code image-missing}, {@code image-corrupt}, {@code invalid-task},
     * {@code explainer}, {@code unpublishable} or {@code gave-up} (retries exhausted).
     */
    static String reasonOf(ImageResult result) {
        String reason = result.reason() == null ? "" : result.reason();
        if (result.outcome() == Outcome.EXPLAINED) {
            return "none";
        }
        if (result.outcome() == Outcome.SKIPPED) {
            return RunCancelled.SKIP_REASON.equals(reason) ? "cancelled" : "no-target";
        }
        if (reason.startsWith(MODEL_NOT_LOADED)) {
            return "model";
        } else if (reason.startsWith(IMAGE_NOT_FOUND)) {
            return "image-missing";
        } else if (reason.startsWith(IMAGE_NOT_DECODED)) {
            return "image-corrupt";
        } else if (reason.startsWith(CANNOT_EXPLAIN)) {
            return "invalid-task";
        } else if (reason.startsWith(EXPLANATION_FAILED)) {
            return "explainer";
        } else if (reason.startsWith(NOT_PUBLISHED_PREFIX)) {
            return "unpublishable";
        }
        return "gave-up";
    }
}
