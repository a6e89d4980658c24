package dev.lumen.results.messaging;

import dev.lumen.contracts.CloudEvent;
import dev.lumen.contracts.EventCodec;
import dev.lumen.contracts.EventTypes;
import dev.lumen.contracts.ImageResult;
import dev.lumen.contracts.InvalidEventException;
import dev.lumen.results.previews.PreviewStore;
import dev.lumen.results.progress.ProgressPublisher;
import dev.lumen.results.progress.RunTracker;
import dev.lumen.results.storage.ResultIndex;
import dev.lumen.results.storage.ResultMetrics;
import dev.lumen.results.storage.ResultWriter;
import dev.lumen.results.storage.StoredResult;
import dev.lumen.results.insights.RunInsights;
import dev.lumen.service.concurrent.StripedLocks;
import dev.lumen.service.messaging.ConsumerRetry;
import dev.lumen.service.messaging.DeadLetters;
import dev.lumen.service.tracing.EventTracing;
import dev.lumen.contracts.Topics;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.context.Scope;
import io.smallrye.reactive.messaging.annotations.Blocking;
import io.smallrye.reactive.messaging.kafka.KafkaRecord;
import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.reactive.messaging.Incoming;
import org.jboss.logging.Logger;

import java.time.Instant;
import java.util.Set;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Consumes {@code lumen.image-results}: stores each image's files and record, then counts it. An image
 * that already has an outcome (a redelivery) is acknowledged without being stored or counted again.
 *
 * <p>A crash between storing a run's last record and publishing its terminal progress leaves the
 * compacted topic without the final state; the redelivered event then finds the image recorded. So the
 * first duplicate of a finished run seen by this process republishes the run's (full snapshot)
 * progress once.
 *
 * <p>Storing and publishing run through {@link ConsumerRetry}: an outage of object storage or of the
 * broker holds the channel (health DEGRADED) until the dependency is back, then consumption resumes by
 * itself; a result that fails for a reason of its own is retried a few times, then dead-lettered.
 */
@ApplicationScoped
public class ImageResultListener {

    private static final Logger LOG = Logger.getLogger(ImageResultListener.class);
    private static final String CONSUMER = "results-service/image-results";

    private final EventCodec codec;
    private final ResultWriter writer;
    private final RunTracker tracker;
    private final ProgressPublisher progress;
    private final DeadLetters deadLetters;
    private final ResultIndex index;
    private final ConsumerRetry retry;
    private final PreviewStore previews;
    private final ResultMetrics metrics;
    private final EventTracing tracing;
    private final RunInsights insights;
    private final Set<String> republished = ConcurrentHashMap.newKeySet();
    private final StripedLocks imageLocks = new StripedLocks(256);

    public ImageResultListener(EventCodec codec, ResultWriter writer, RunTracker tracker, ProgressPublisher progress,
                               DeadLetters deadLetters, ResultIndex index, ConsumerRetry retry,
                               PreviewStore previews, ResultMetrics metrics, EventTracing tracing,
                               RunInsights insights) {
        this.tracing = tracing;
        this.insights = insights;
        this.codec = codec;
        this.writer = writer;
        this.tracker = tracker;
        this.progress = progress;
        this.deadLetters = deadLetters;
        this.index = index;
        this.retry = retry;
        this.previews = previews;
        this.metrics = metrics;
    }

    @Incoming("image-results-in")
    @Blocking(value = "result-store", ordered = false)
    public CompletionStage<Void> onResult(KafkaRecord<String, byte[]> record) {
        CloudEvent<ImageResult> event;
        try {
            event = codec.decode(record.getPayload(), EventTypes.IMAGE_RESULT, ImageResult.class);
        } catch (InvalidEventException e) {
            deadLetters.send(CONSUMER, record, e.getMessage());
            return record.ack();
        }
        ImageResult result = event.data();
        Span span = tracing.startHandling("lumen.store-result", Topics.IMAGE_RESULTS, event)
                .setAttribute(EventTracing.Attributes.IMAGE_ID, result.imageId())
                .setAttribute(EventTracing.Attributes.METHOD, result.method())
                .setAttribute(EventTracing.Attributes.MODEL, result.model().id())
                .setAttribute(EventTracing.Attributes.OUTCOME, result.outcome().name());
        try (Scope ignored = span.makeCurrent()) {
            metrics.storeStarted();
            ConsumerRetry.Handled<Void> handled;
            try {
                handled = retry.handle(CONSUMER, () -> {
                    synchronized (imageLock(result)) {
                        store(event);
                    }
                    return null;
                });
            } finally {
                metrics.storeEnded();
            }
            if (handled.gaveUp()) {
                span.setStatus(io.opentelemetry.api.trace.StatusCode.ERROR, handled.reason());
                deadLetters.send(CONSUMER, record, handled.reason());
            }
        } finally {
            span.end();
        }
        return record.ack();
    }

    /**
     * Results are stored concurrently; two deliveries of one image (a worker's retry, a redelivery) take
     * the same lock, so the second sees the first's outcome and is counted as a duplicate.
     */
    private Object imageLock(ImageResult result) {
        return imageLocks.of(result.runId() + '/' + result.imageId());
    }

    /** Stores and counts one result; idempotent, so a retry after a partial failure is safe. */
    private void store(CloudEvent<ImageResult> event) {
        long started = System.nanoTime();
        ImageResult result = event.data();
        previews.resultArrived(result.runId(), result.imageId());
        if (tracker.hasOutcome(result.runId(), result.imageId())) {
            LOG.debugf("run %s image %s: duplicate result ignored", result.runId(), result.imageId());
            metrics.duplicate();
            tracker.progress(result.runId())
                    .filter(p -> p.state().terminal() && republished.add(result.runId()))
                    .ifPresent(progress::publish);
            return;
        }
        Instant at = event.time() != null ? event.time() : Instant.now();
        StoredResult stored;
        try {
            stored = writer.write(result, at);
        } catch (IllegalStateException e) {
            // The maps cannot be rendered (original gone or unreadable): count the image as failed so
            // the run still completes, with the reason where the user looks.
            LOG.warnf("run %s image %s: %s", result.runId(), result.imageId(), e.getMessage());
            stored = writer.write(ImageResults.failed(result, "results could not be rendered: " + e.getMessage()), at);
        }
        index.put(stored);
        metrics.readable(java.time.Duration.between(at, Instant.now()));
        insights.update(stored);
        // Progress published later by the tick continues the run's trace from its latest stored image.
        progress.traced(result.runId(), io.opentelemetry.context.Context.current());
        tracker.recorded(stored, at).ifPresent(progress::publish);
        metrics.stored(stored.result().outcome(), System.nanoTime() - started);
    }
}
