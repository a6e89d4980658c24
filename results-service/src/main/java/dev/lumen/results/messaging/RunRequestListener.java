package dev.lumen.results.messaging;

import dev.lumen.contracts.CloudEvent;
import dev.lumen.contracts.EventCodec;
import dev.lumen.contracts.EventTypes;
import dev.lumen.contracts.InvalidEventException;
import dev.lumen.contracts.RunCancelled;
import dev.lumen.contracts.RunDeleted;
import dev.lumen.contracts.RunRequested;
import dev.lumen.results.insights.RunInsights;
import dev.lumen.results.progress.ProgressPublisher;
import dev.lumen.results.progress.RunTracker;
import dev.lumen.results.storage.RunRecords;
import dev.lumen.service.messaging.ConsumerRetry;
import dev.lumen.service.messaging.DeadLetters;
import dev.lumen.service.tracing.EventTracing;
import dev.lumen.contracts.Topics;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.context.Context;
import io.opentelemetry.context.Scope;
import io.smallrye.common.annotation.Blocking;
import io.smallrye.reactive.messaging.kafka.KafkaRecord;
import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.reactive.messaging.Incoming;

import java.time.Instant;
import java.util.concurrent.CompletionStage;

/**
 * Learns about runs from {@code lumen.run-requests}: stores a request and reports the run as QUEUED;
 * reports a cancelled run as CANCELLED; forgets a deleted run. Storage or broker outages are retried
 * until they end ({@link ConsumerRetry}); an event that keeps failing for a reason of its own is
 * dead-lettered.
 */
@ApplicationScoped
public class RunRequestListener {

    private static final String CONSUMER = "results-service/run-requests";

    private final EventCodec codec;
    private final RunRecords records;
    private final RunTracker tracker;
    private final ProgressPublisher progress;
    private final DeadLetters deadLetters;
    private final ConsumerRetry retry;
    private final EventTracing tracing;
    private final RunInsights insights;

    public RunRequestListener(EventCodec codec, RunRecords records, RunTracker tracker, ProgressPublisher progress,
                              DeadLetters deadLetters, ConsumerRetry retry, EventTracing tracing, RunInsights insights) {
        this.tracing = tracing;
        this.insights = insights;
        this.codec = codec;
        this.records = records;
        this.tracker = tracker;
        this.progress = progress;
        this.deadLetters = deadLetters;
        this.retry = retry;
    }

    @Incoming("run-requests-in")
    @Blocking
    public CompletionStage<Void> onRequest(KafkaRecord<String, byte[]> record) {
        ConsumerRetry.Handled<Void> handled = retry.handle(CONSUMER, () -> {
            apply(record.getPayload());
            return null;
        });
        if (handled.gaveUp()) {
            deadLetters.send(CONSUMER, record, handled.reason());
        }
        return record.ack();
    }

    private void apply(byte[] value) {
        try {
            String type = codec.typeOf(value).orElse("");
            switch (type) {
                case EventTypes.RUN_CANCELLED -> {
                    CloudEvent<RunCancelled> event = codec.decode(value, type, RunCancelled.class);
                    tracker.cancelled(event.data().runId(), timeOf(event)).ifPresent(progress::publish);
                }
                case EventTypes.RUN_DELETED -> tracker.deleted(codec.decode(value, type, RunDeleted.class).data().runId());
                default -> {
                    CloudEvent<RunRequested> event = codec.decode(value, EventTypes.RUN_REQUESTED, RunRequested.class);
                    if (tracker.isDeleted(event.data().runId())) {
                        return;
                    }
                    Span span = tracing.startHandling("lumen.record-run", Topics.RUN_REQUESTS, event);
                    try (Scope ignored = span.makeCurrent()) {
                        Instant at = timeOf(event);
                        records.saveRequest(new RunRecords.StoredRun(event.data(), at));
                        insights.requestRecorded(event.data().runId());
                        progress.traced(event.data().runId(), Context.current());
                        tracker.requested(event.data(), at).ifPresent(progress::publish);
                    } finally {
                        span.end();
                    }
                }
            }
        } catch (InvalidEventException e) {
            // run-service's planner dead-letters invalid events of this topic; nothing more to say here.
        }
    }

    private static Instant timeOf(CloudEvent<?> event) {
        return event.time() != null ? event.time() : Instant.now();
    }
}
