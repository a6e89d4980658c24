package dev.lumen.contracts;

import com.fasterxml.jackson.annotation.JsonInclude;

/**
 * Data of {@code dev.lumen.dead-letter.v1} on {@link Topics#DEAD_LETTERS}: a message a consumer
 * could not process.
 *
 * @param consumer the consumer (service and channel) that gave up
 * @param topic original topic
 * @param partition original partition
 * @param offset original offset
 * @param key original key, if any
 * @param reason why it could not be processed
 * @param payload the original value as text (truncated to 64 KiB)
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record DeadLetter(
        String consumer,
        String topic,
        int partition,
        long offset,
        String key,
        String reason,
        String payload) {
}
