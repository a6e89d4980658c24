package dev.lumen.runs.messaging;

import dev.lumen.contracts.CloudEvent;
import dev.lumen.contracts.EventCodec;
import dev.lumen.contracts.EventTypes;
import dev.lumen.contracts.RunRequested;
import dev.lumen.runs.config.RunServiceConfig;
import io.smallrye.reactive.messaging.MutinyEmitter;
import io.smallrye.reactive.messaging.kafka.api.OutgoingKafkaRecordMetadata;
import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.reactive.messaging.Channel;
import org.eclipse.microprofile.reactive.messaging.Message;

/** Publishes accepted run requests on {@code lumen.run-requests}, keyed by run id. */
@ApplicationScoped
public class RunRequestPublisher {

    private final MutinyEmitter<byte[]> emitter;
    private final EventCodec codec;
    private final RunServiceConfig config;

    public RunRequestPublisher(@Channel("run-requests-out") MutinyEmitter<byte[]> emitter, EventCodec codec,
                               RunServiceConfig config) {
        this.emitter = emitter;
        this.codec = codec;
        this.config = config;
    }

    /** Publishes and waits until the broker has acknowledged the record. */
    public void publish(RunRequested request) {
        CloudEvent<RunRequested> event = CloudEvent.of(config.eventSource(), EventTypes.RUN_REQUESTED,
                request.runId(), request);
        Message<byte[]> message = Message.of(codec.encode(event)).addMetadata(
                OutgoingKafkaRecordMetadata.<String>builder().withKey(request.runId()).build());
        emitter.sendMessageAndAwait(message);
    }
}
