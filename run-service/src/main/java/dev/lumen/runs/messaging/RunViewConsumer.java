package dev.lumen.runs.messaging;

import dev.lumen.contracts.CloudEvent;
import dev.lumen.contracts.EventCodec;
import dev.lumen.contracts.EventTypes;
import dev.lumen.contracts.InvalidEventException;
import dev.lumen.contracts.RunCancelled;
import dev.lumen.contracts.RunDeleted;
import dev.lumen.contracts.RunProgress;
import dev.lumen.contracts.RunRequested;
import dev.lumen.runs.domain.RunViews;
import io.smallrye.common.annotation.Blocking;
import io.smallrye.reactive.messaging.kafka.KafkaRecord;
import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.reactive.messaging.Incoming;
import org.jboss.logging.Logger;

import java.time.Instant;
import java.util.concurrent.CompletionStage;

/**
 * Feeds {@link RunViews} from {@code lumen.run-requests} and the compacted {@code lumen.run-progress}.
 * Each instance reads both from the beginning under a group of its own, so it rebuilds its view on
 * every start. Invalid events are skipped here: the planner dead-letters invalid requests, and
 * progress comes from results-service, which validates what it publishes.
 */
@ApplicationScoped
public class RunViewConsumer {

    private static final Logger LOG = Logger.getLogger(RunViewConsumer.class);

    private final EventCodec codec;
    private final RunViews views;
    private final RunRequestPublisher publisher;

    public RunViewConsumer(EventCodec codec, RunViews views, RunRequestPublisher publisher) {
        this.codec = codec;
        this.views = views;
        this.publisher = publisher;
    }

    @Incoming("run-view-requests-in")
    public CompletionStage<Void> onRunEvent(KafkaRecord<String, byte[]> record) {
        byte[] value = record.getPayload();
        try {
            String type = codec.typeOf(value).orElse("");
            switch (type) {
                case EventTypes.RUN_REQUESTED -> {
                    CloudEvent<RunRequested> event = codec.decode(value, type, RunRequested.class);
                    views.requested(event.data(), timeOf(event));
                }
                case EventTypes.RUN_CANCELLED -> {
                    CloudEvent<RunCancelled> event = codec.decode(value, type, RunCancelled.class);
                    views.cancelled(event.data().runId(), timeOf(event));
                }
                case EventTypes.RUN_DELETED -> views.deleted(codec.decode(value, type, RunDeleted.class).data().runId());
                default -> LOG.debugf("run view skips a record of type '%s'", type);
            }
        } catch (InvalidEventException e) {
            LOG.debugf("run view skips an invalid record: %s", e.getMessage());
        }
        return record.ack();
    }

    @Incoming("run-view-progress-in")
    @Blocking
    public CompletionStage<Void> onProgress(KafkaRecord<String, byte[]> record) {
        if (record.getPayload() == null) {
            // A tombstone: the run was deleted (by this or another instance).
            if (record.getKey() != null) {
                views.deleted(record.getKey());
            }
            return record.ack();
        }
        try {
            RunProgress progress = codec.decode(record.getPayload(), EventTypes.RUN_PROGRESS, RunProgress.class).data();
            if (!views.progressed(progress)) {
                // Published for a run already deleted (a late snapshot): bury it again so that
                // compaction does not keep the late snapshot as the run's last word.
                publisher.tombstone(progress.runId());
            }
        } catch (InvalidEventException e) {
            LOG.debugf("run view skips invalid progress: %s", e.getMessage());
        }
        return record.ack();
    }

    private static Instant timeOf(CloudEvent<?> event) {
        return event.time() != null ? event.time() : Instant.now();
    }
}
