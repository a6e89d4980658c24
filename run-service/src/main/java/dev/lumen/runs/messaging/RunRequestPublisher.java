package dev.lumen.runs.messaging;

import dev.lumen.contracts.CloudEvent;
import dev.lumen.contracts.EventCodec;
import dev.lumen.contracts.EventTypes;
import dev.lumen.contracts.RunCancelled;
import dev.lumen.contracts.RunDeleted;
import dev.lumen.contracts.RunRequested;
import dev.lumen.runs.config.RunServiceConfig;
import dev.lumen.service.tracing.EventTracing;
import io.opentelemetry.api.trace.Span;
import io.smallrye.reactive.messaging.MutinyEmitter;
import io.smallrye.reactive.messaging.kafka.Record;
import io.smallrye.reactive.messaging.kafka.api.OutgoingKafkaRecordMetadata;
import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.reactive.messaging.Channel;
import org.eclipse.microprofile.reactive.messaging.Message;

/**
 * Publishes a run's lifecycle on {@code lumen.run-requests}, keyed by run id so that its request,
 * cancellation and deletion stay in order; and the tombstone that makes the compacted
 * {@code lumen.run-progress} forget a deleted run. Every method waits for the broker's acknowledgement.
 */
@ApplicationScoped
public class RunRequestPublisher {

    private final MutinyEmitter<byte[]> emitter;
    private final MutinyEmitter<Record<String, byte[]>> progress;
    private final EventCodec codec;
    private final RunServiceConfig config;
    private final EventTracing tracing;

    public RunRequestPublisher(@Channel("run-requests-out") MutinyEmitter<byte[]> emitter,
                               @Channel("run-progress-out") MutinyEmitter<Record<String, byte[]>> progress,
                               EventCodec codec, RunServiceConfig config, EventTracing tracing) {
        this.tracing = tracing;
        this.emitter = emitter;
        this.progress = progress;
        this.codec = codec;
        this.config = config;
    }

    /** Publishes an accepted run request. */
    public void publish(RunRequested request) {
        send(request.runId(), EventTypes.RUN_REQUESTED, request);
    }

    /** Publishes a cancellation (after the marker object is written). */
    public void publishCancelled(RunCancelled cancelled) {
        send(cancelled.runId(), EventTypes.RUN_CANCELLED, cancelled);
    }

    /** Publishes a deletion, then the run's tombstone on the progress topic. */
    public void publishDeleted(RunDeleted deleted) {
        send(deleted.runId(), EventTypes.RUN_DELETED, deleted);
        tombstone(deleted.runId());
    }

    /** Writes a null value for the run on {@code lumen.run-progress}: compaction then drops the run. */
    public void tombstone(String runId) {
        progress.sendAndAwait(Record.of(runId, null));
    }

    private void send(String runId, String type, Object data) {
        // The request's span (POST /api/runs, or whatever the caller traces) becomes the run's trace.
        Span.current().setAttribute(EventTracing.Attributes.RUN_ID, runId);
        CloudEvent<Object> event = tracing.stamped(CloudEvent.of(config.eventSource(), type, runId, data));
        Message<byte[]> message = Message.of(codec.encode(event)).addMetadata(
                OutgoingKafkaRecordMetadata.<String>builder().withKey(runId).build());
        emitter.sendMessageAndAwait(message);
    }
}
