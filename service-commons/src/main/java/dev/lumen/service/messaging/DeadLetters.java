package dev.lumen.service.messaging;

import dev.lumen.contracts.CloudEvent;
import dev.lumen.contracts.DeadLetter;
import dev.lumen.contracts.EventCodec;
import dev.lumen.contracts.EventTypes;
import io.smallrye.reactive.messaging.MutinyEmitter;
import io.smallrye.reactive.messaging.kafka.KafkaRecord;
import io.smallrye.reactive.messaging.kafka.api.IncomingKafkaRecordMetadata;
import io.smallrye.reactive.messaging.kafka.api.OutgoingKafkaRecordMetadata;
import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.eclipse.microprofile.reactive.messaging.Channel;
import org.eclipse.microprofile.reactive.messaging.Message;
import org.jboss.logging.Logger;

import java.nio.charset.StandardCharsets;

/**
 * Sends what a consumer cannot process to {@code lumen.dead-letters} (channel {@code dead-letters-out})
 * with the reason, so the consumer can acknowledge it and the partition moves on. A broker outage while
 * sending is retried until it ends ({@link ConsumerRetry}), so no dead letter is lost to it.
 */
@ApplicationScoped
public class DeadLetters {

    private static final Logger LOG = Logger.getLogger(DeadLetters.class);
    private static final int MAX_PAYLOAD_CHARS = 64 * 1024;

    private final MutinyEmitter<byte[]> emitter;
    private final EventCodec codec;
    private final String source;
    private final ConsumerRetry retry;

    public DeadLetters(@Channel("dead-letters-out") MutinyEmitter<byte[]> emitter, EventCodec codec,
                       @ConfigProperty(name = "quarkus.application.name") String application, ConsumerRetry retry) {
        this.emitter = emitter;
        this.codec = codec;
        this.retry = retry;
        this.source = "/lumen/" + application;
    }

    /**
     * Publishes a dead letter for {@code record} and waits for the broker's acknowledgement, retrying
     * through a broker outage.
     */
    public void send(String consumer, KafkaRecord<String, byte[]> record, String reason) {
        long offset = offsetOf(record);
        LOG.warnf("%s gives up on %s-%d@%d: %s", consumer, record.getTopic(), record.getPartition(), offset, reason);
        DeadLetter letter = letter(consumer, record.getTopic(), record.getPartition(), offset,
                record.getKey(), reason, record.getPayload());
        String subject = record.getKey() == null ? "unknown" : record.getKey();
        byte[] value = codec.encode(CloudEvent.of(source, EventTypes.DEAD_LETTER, subject, letter));
        ConsumerRetry.Handled<Void> sent = retry.handle(consumer + "/dead-letters", () -> {
            emitter.sendMessageAndAwait(Message.of(value).addMetadata(
                    OutgoingKafkaRecordMetadata.<String>builder().withKey(record.getKey()).build()));
            return null;
        });
        if (sent.gaveUp()) {
            // Nothing else can hold it: the log keeps what the dead letter would have said.
            LOG.errorf("%s could not dead-letter %s-%d@%d (%s); reason was: %s", consumer, record.getTopic(),
                    record.getPartition(), offset, sent.reason(), reason);
        }
    }

    /** The offset of a consumed record, -1 when unknown. */
    public static long offsetOf(KafkaRecord<?, ?> record) {
        return record.getMetadata(IncomingKafkaRecordMetadata.class).map(m -> m.getOffset()).orElse(-1L);
    }

    /** The dead-letter record for a message, its payload as text cut to 64 KiB. */
    public static DeadLetter letter(String consumer, String topic, int partition, long offset, String key,
                                    String reason, byte[] payload) {
        String text = payload == null ? null : new String(payload, StandardCharsets.UTF_8);
        if (text != null && text.length() > MAX_PAYLOAD_CHARS) {
            text = text.substring(0, MAX_PAYLOAD_CHARS);
        }
        return new DeadLetter(consumer, topic, partition, offset, key, reason == null ? "unknown" : reason, text);
    }
}
