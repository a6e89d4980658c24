package dev.lumen.results.messaging;

import dev.lumen.contracts.EventCodec;
import dev.lumen.contracts.EventTypes;
import dev.lumen.contracts.ImagePreview;
import dev.lumen.contracts.InvalidEventException;
import dev.lumen.results.previews.PreviewStore;
import io.smallrye.common.annotation.Blocking;
import io.smallrye.reactive.messaging.kafka.KafkaRecord;
import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.reactive.messaging.Incoming;
import org.jboss.logging.Logger;

import java.util.concurrent.CompletionStage;

/**
 * Consumes {@code lumen.image-previews} into the {@link PreviewStore}. Previews are best effort
 * (decision 0045): a malformed one is logged and skipped, not dead-lettered, and nothing is retried;
 * every instance reads every preview (its own consumer group) because each serves its own memory.
 */
@ApplicationScoped
public class ImagePreviewListener {

    private static final Logger LOG = Logger.getLogger(ImagePreviewListener.class);

    private final EventCodec codec;
    private final PreviewStore previews;

    public ImagePreviewListener(EventCodec codec, PreviewStore previews) {
        this.codec = codec;
        this.previews = previews;
    }

    @Incoming("image-previews-in")
    // The tracker's checks may wait on a result being recorded: off the event loop.
    @Blocking
    public CompletionStage<Void> onPreview(KafkaRecord<String, byte[]> record) {
        try {
            ImagePreview preview = codec.decode(record.getPayload(), EventTypes.IMAGE_PREVIEW, ImagePreview.class).data();
            previews.offer(preview);
        } catch (InvalidEventException e) {
            LOG.debugf("preview %s skipped: %s", record.getKey(), e.getMessage());
        }
        return record.ack();
    }
}
