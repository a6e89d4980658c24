package dev.lumen.worker.messaging;

import dev.lumen.contracts.CloudEvent;
import dev.lumen.contracts.EventCodec;
import dev.lumen.contracts.EventTypes;
import dev.lumen.contracts.ImagePreview;
import dev.lumen.contracts.Topics;
import dev.lumen.service.tracing.EventTracing;
import dev.lumen.worker.config.WorkerConfig;
import dev.lumen.worker.domain.PreviewSink;
import io.smallrye.reactive.messaging.MutinyEmitter;
import io.smallrye.reactive.messaging.kafka.api.OutgoingKafkaRecordMetadata;
import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.reactive.messaging.Channel;
import org.eclipse.microprofile.reactive.messaging.Message;
import org.jboss.logging.Logger;

/**
 * Publishes previews on {@code lumen.image-previews}, fire and forget: the explaining thread never
 * waits for the broker, and a preview that cannot be sent (broker down, buffer full) is dropped with
 * a debug log. Previews are worth something only for seconds; the image's result is what counts.
 */
@ApplicationScoped
public class PreviewPublisher implements PreviewSink {

    private static final Logger LOG = Logger.getLogger(PreviewPublisher.class);

    private final MutinyEmitter<byte[]> previews;
    private final EventCodec codec;
    private final WorkerConfig config;
    private final EventTracing tracing;

    public PreviewPublisher(@Channel("image-previews-out") MutinyEmitter<byte[]> previews, EventCodec codec,
                            WorkerConfig config, EventTracing tracing) {
        this.tracing = tracing;
        this.previews = previews;
        this.codec = codec;
        this.config = config;
    }

    @Override
    public void send(ImagePreview preview) {
        try {
            // Sent from the explaining thread: the preview belongs to the image's explain span.
            byte[] value = codec.encode(tracing.stamped(CloudEvent.of(config.eventSource(), EventTypes.IMAGE_PREVIEW,
                    preview.runId(), preview)));
            previews.sendMessageAndForget(Message.of(value).addMetadata(OutgoingKafkaRecordMetadata.<String>builder()
                    .withKey(Topics.imageTaskKey(preview.runId(), preview.imageId())).build()));
        } catch (RuntimeException e) {
            LOG.debugf("run %s image %s: preview dropped: %s", preview.runId(), preview.imageId(), e);
        }
    }
}
