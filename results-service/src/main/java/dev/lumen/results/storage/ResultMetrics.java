package dev.lumen.results.storage;

import dev.lumen.contracts.Outcome;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import jakarta.enterprise.context.ApplicationScoped;

import java.time.Duration;
import java.util.Locale;

/**
 * results-service's meters on {@code /q/metrics} (Prometheus names in brackets):
 * {@code lumen.results.stored} [{@code lumen_results_stored_total}]: image results stored and counted,
 * by {@code outcome}; {@code lumen.results.duplicates} [{@code lumen_results_duplicates_total}]:
 * redelivered results acknowledged without being stored again; {@code lumen.results.render}
 * [{@code lumen_results_render_seconds}]: time to render and upload one image's maps (16-bit map,
 * heatmap and overlay per target), a histogram; {@code lumen.results.store}
 * [{@code lumen_results_store_seconds}]: time from decoding a result to its progress being published;
 * {@code lumen.results.progress.published} [{@code lumen_results_progress_published_total}];
 * {@code lumen.results.readable} [{@code lumen_results_readable_seconds}]: time from the worker publishing
 * a result (its event's time) to its maps and record being readable over the API, a histogram with its
 * median and 95th percentile over the last 15 to 30 minutes (what {@code ./lumen bench --e2e} reports);
 * {@code lumen.results.store.busy} [{@code lumen_results_store_busy_seconds_total}]: time during which at
 * least one result was being stored, so that stored results per busy second is a lower bound of what the
 * service can store while results are stored several at a time.
 */
@ApplicationScoped
public class ResultMetrics {

    private static final Duration[] BUCKETS = {
            Duration.ofMillis(5), Duration.ofMillis(10), Duration.ofMillis(25), Duration.ofMillis(50),
            Duration.ofMillis(100), Duration.ofMillis(250), Duration.ofMillis(500), Duration.ofSeconds(1),
            Duration.ofMillis(2500), Duration.ofSeconds(5), Duration.ofSeconds(10), Duration.ofSeconds(30)};

    private final MeterRegistry registry;
    private final Timer render;
    private final Timer store;
    private final Timer readable;
    private final Counter duplicates;
    private final Counter progressPublished;
    private final Object busyLock = new Object();
    private int storing;
    private long busySince;
    private long busyNanos;

    public ResultMetrics(MeterRegistry registry) {
        this.registry = registry;
        render = Timer.builder("lumen.results.render").description("Time to render and upload one image's maps")
                .serviceLevelObjectives(BUCKETS).register(registry);
        store = Timer.builder("lumen.results.store").description("Time to store and count one image result")
                .serviceLevelObjectives(BUCKETS).register(registry);
        // A window long enough that a benchmark run's percentiles cover the whole run, not its last minutes.
        readable = Timer.builder("lumen.results.readable")
                .description("Time from a result's publication to its maps being readable over the API")
                .serviceLevelObjectives(BUCKETS).publishPercentiles(0.5, 0.95)
                .distributionStatisticExpiry(Duration.ofMinutes(30)).distributionStatisticBufferLength(2)
                .register(registry);
        FunctionCounter.builder("lumen.results.store.busy", this, ResultMetrics::busySeconds)
                .description("Time during which at least one result was being stored").baseUnit("seconds")
                .register(registry);
        duplicates = Counter.builder("lumen.results.duplicates")
                .description("Redelivered results acknowledged without storing").register(registry);
        progressPublished = Counter.builder("lumen.results.progress.published")
                .description("Run progress snapshots published").register(registry);
    }

    /** One image's maps were rendered and uploaded in {@code nanos}. */
    public void rendered(long nanos) {
        render.record(Duration.ofNanos(nanos));
    }

    /** A result starts being stored; {@link #stored} or {@link #storeEnded} ends it. */
    public void storeStarted() {
        synchronized (busyLock) {
            if (storing++ == 0) {
                busySince = System.nanoTime();
            }
        }
    }

    /** A result is no longer being stored (stored, a duplicate, or failed). */
    public void storeEnded() {
        synchronized (busyLock) {
            if (--storing == 0) {
                busyNanos += System.nanoTime() - busySince;
            }
        }
    }

    private double busySeconds() {
        synchronized (busyLock) {
            return (busyNanos + (storing > 0 ? System.nanoTime() - busySince : 0)) / 1e9;
        }
    }

    /** One result was stored and counted in {@code nanos}. */
    public void stored(Outcome outcome, long nanos) {
        Counter.builder("lumen.results.stored").description("Image results stored")
                .tag("outcome", outcome.name().toLowerCase(Locale.ROOT)).register(registry).increment();
        store.record(Duration.ofNanos(nanos));
    }

    /** A result published {@code latency} ago became readable over the API. */
    public void readable(Duration latency) {
        readable.record(latency.isNegative() ? Duration.ZERO : latency);
    }

    /** A redelivered result was recognised. */
    public void duplicate() {
        duplicates.increment();
    }

    /** A progress snapshot went out. */
    public void progressPublished() {
        progressPublished.increment();
    }
}
