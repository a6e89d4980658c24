package dev.lumen.results.progress;

import dev.lumen.contracts.CloudEvent;
import dev.lumen.contracts.EventCodec;
import dev.lumen.contracts.EventTypes;
import dev.lumen.contracts.RunProgress;
import dev.lumen.results.config.ResultsConfig;
import dev.lumen.results.storage.ResultMetrics;
import dev.lumen.service.tracing.EventTracing;
import dev.lumen.contracts.Topics;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.context.Context;
import io.opentelemetry.context.Scope;
import io.quarkus.scheduler.Scheduled;
import io.smallrye.reactive.messaging.MutinyEmitter;
import io.smallrye.reactive.messaging.kafka.api.OutgoingKafkaRecordMetadata;
import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.reactive.messaging.Channel;
import org.eclipse.microprofile.reactive.messaging.Message;
import org.jboss.logging.Logger;

import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Consumer;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.List;

/**
 * Publishes run progress on the compacted {@code lumen.run-progress} (key: run id): at once on every
 * state change, otherwise at most once a second per run while it changes. Local listeners (the SSE
 * stream) get the same updates.
 */
@ApplicationScoped
public class ProgressPublisher {

    private static final Logger LOG = Logger.getLogger(ProgressPublisher.class);
    private static final int MAX_REMEMBERED_RUNS = 10_000;

    private final MutinyEmitter<byte[]> emitter;
    private final EventCodec codec;
    private final RunTracker tracker;
    private final ResultsConfig config;
    private final List<Consumer<RunProgress>> listeners = new CopyOnWriteArrayList<>();
    /** When the last published snapshot of each run was taken; bounded, oldest runs forgotten first. */
    private final Map<String, Instant> published = new LinkedHashMap<>(256, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, Instant> eldest) {
            return size() > MAX_REMEMBERED_RUNS;
        }
    };

    private final ResultMetrics metrics;
    private final EventTracing tracing;
    /** Per run, the trace context its progress continues when published outside a span (the tick). */
    private final Map<String, Context> traces = new LinkedHashMap<>(256, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, Context> eldest) {
            return size() > MAX_REMEMBERED_RUNS;
        }
    };

    public ProgressPublisher(@Channel("run-progress-out") MutinyEmitter<byte[]> emitter, EventCodec codec,
                             RunTracker tracker, ResultsConfig config, ResultMetrics metrics,
                             EventTracing tracing) {
        this.tracing = tracing;
        this.metrics = metrics;
        this.emitter = emitter;
        this.codec = codec;
        this.tracker = tracker;
        this.config = config;
    }

    /**
     * Publishes {@code progress} now and waits for the broker's acknowledgement. A snapshot older than
     * one already published for the run is dropped: the periodic tick and a state change can race, and
     * on a compacted topic the last record must be the newest state.
     */
    public synchronized void publish(RunProgress progress) {
        Instant previous = published.get(progress.runId());
        if (previous != null && progress.updatedAt() != null && progress.updatedAt().isBefore(previous)) {
            LOG.debugf("run %s: stale progress snapshot dropped", progress.runId());
            return;
        }
        if (progress.updatedAt() != null) {
            published.put(progress.runId(), progress.updatedAt());
        }
        Context parent = Span.current().getSpanContext().isValid() ? Context.current()
                : traces.getOrDefault(progress.runId(), Context.root());
        Span span = tracing.span("lumen.publish-progress").setParent(parent).setSpanKind(SpanKind.PRODUCER)
                .setAttribute("messaging.system", "kafka")
                .setAttribute("messaging.destination.name", Topics.RUN_PROGRESS)
                .setAttribute(EventTracing.Attributes.RUN_ID, progress.runId())
                .setAttribute(EventTracing.Attributes.RUN_STATE, progress.state().name())
                .startSpan();
        try (Scope ignored = span.makeCurrent()) {
            byte[] value = codec.encode(tracing.stamped(
                    CloudEvent.of(config.eventSource(), EventTypes.RUN_PROGRESS, progress.runId(), progress)));
            emitter.sendMessageAndAwait(Message.of(value).addMetadata(
                    OutgoingKafkaRecordMetadata.<String>builder().withKey(progress.runId()).build()));
        } catch (RuntimeException e) {
            EventTracing.failed(span, e);
            throw e;
        } finally {
            span.end();
        }
        metrics.progressPublished();
        for (Consumer<RunProgress> listener : listeners) {
            try {
                listener.accept(progress);
            } catch (RuntimeException e) {
                // A broken browser stream must never stop the topic or the other streams.
                LOG.debugf(e, "progress listener failed for run %s", progress.runId());
            }
        }
        if (progress.state().terminal()) {
            LOG.infof("run %s: %s (%d explained, %d skipped, %d failed of %d)", progress.runId(), progress.state(),
                    progress.explained(), progress.skipped(), progress.failed(), progress.total());
        }
    }

    /** Remembers {@code context} as the trace that {@code runId}'s progress continues when published by the tick. */
    public synchronized void traced(String runId, Context context) {
        if (Span.fromContext(context).getSpanContext().isValid()) {
            traces.put(runId, context);
        }
    }

    /**
     * Registers a local listener of every published update (the SSE streams). Listeners are called on
     * the publishing thread after the broker has the update, so they must only hand it on.
     */
    public void addListener(Consumer<RunProgress> listener) {
        listeners.add(listener);
    }

    /** Removes a local listener. */
    public void removeListener(Consumer<RunProgress> listener) {
        listeners.remove(listener);
    }

    // Delayed: the first tick must not race the messaging wiring at start-up.
    @Scheduled(every = "1s", delayed = "5s", concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    void publishChanged() {
        tracker.drainChanged().values().forEach(this::publish);
    }
}
