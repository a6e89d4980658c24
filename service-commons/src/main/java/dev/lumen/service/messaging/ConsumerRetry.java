package dev.lumen.service.messaging;

import io.quarkus.runtime.ShutdownEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import org.jboss.logging.Logger;

import java.time.Duration;
import java.util.concurrent.Callable;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Handles one consumed message so that a fault never kills the channel: the work is retried with
 * exponential backoff and jitter, capped at {@link RetryConfig#maxDelay()}, while {@link ConsumerHealth}
 * reports the consumer DEGRADED with the reason. An outage of object storage or the broker (see
 * {@link TransientFaults}) is retried for as long as it lasts, so consumption resumes by itself when the
 * dependency is back; any other failure is the message's own and is retried
 * {@link RetryConfig#maxAttempts()} times, then handed back as given up, for the caller to dead-letter.
 *
 * <p>The work runs again from the start, so it must be idempotent up to the point of failure (every
 * consumer here writes whole objects under fixed keys and deduplicates by image id).
 */
@ApplicationScoped
public class ConsumerRetry {

    private static final Logger LOG = Logger.getLogger(ConsumerRetry.class);

    private final RetryConfig config;
    private final ConsumerHealth health;
    private volatile boolean stopping;

    public ConsumerRetry(RetryConfig config, ConsumerHealth health) {
        this.config = config;
        this.health = health;
    }

    /**
     * The outcome of handling a message: its value, or the failure it was given up for.
     *
     * @param value what the work returned, null when given up
     * @param failure why the message was given up, null when handled
     * @param attempts attempts made
     */
    public record Handled<T>(T value, Throwable failure, int attempts) {

        /** Whether the message was given up (a poison message). */
        public boolean gaveUp() {
            return failure != null;
        }

        /** The reason to put on the dead letter. */
        public String reason() {
            return "gave up after " + attempts + " attempt" + (attempts == 1 ? "" : "s") + ": "
                    + TransientFaults.describe(failure);
        }
    }

    /**
     * Runs {@code work} until it succeeds, or fails for a reason of its own {@code maxAttempts} times.
     *
     * @param consumer the consumer's name in health data and logs, e.g. {@code results-service/image-results}
     * @throws IllegalStateException when the application stops (or the thread is interrupted) while
     *     retrying: the message is then neither handled nor acknowledged, and is redelivered
     */
    public <T> Handled<T> handle(String consumer, Callable<T> work) {
        int attempts = 0;
        int ownFailures = 0;
        while (true) {
            attempts++;
            try {
                T value = work.call();
                health.recovered(consumer);
                return new Handled<>(value, null, attempts);
            } catch (Exception e) {
                boolean outage = TransientFaults.isTransient(e);
                if (!outage) {
                    ownFailures++;
                }
                if (!outage && ownFailures >= config.maxAttempts()) {
                    health.recovered(consumer);
                    return new Handled<>(null, e, attempts);
                }
                String reason = (outage ? "dependency unavailable: " : "failed: ") + TransientFaults.describe(e);
                health.degraded(consumer, reason, attempts);
                if (stopping) {
                    throw new IllegalStateException(consumer + ": stopping while retrying; the message will be"
                            + " redelivered: " + reason, e);
                }
                Duration delay = delay(attempts, config.initialDelay(), config.maxDelay());
                LOG.debugf("%s attempt %d failed (%s); next in %d ms", consumer, attempts, reason, delay.toMillis());
                pause(consumer, delay, e);
            }
        }
    }

    /**
     * The pause after attempt {@code attempt} (1-based): {@code initial * 2^(attempt-1)} capped at
     * {@code max}, of which a random half is dropped ("equal jitter"), so that consumers that failed
     * together do not retry together.
     */
    public static Duration delay(int attempt, Duration initial, Duration max) {
        long cap = max.toMillis();
        long exponential = initial.toMillis() << Math.min(attempt - 1, 20);
        long base = Math.min(cap, exponential <= 0 ? cap : exponential);
        long half = base / 2;
        return Duration.ofMillis(half + ThreadLocalRandom.current().nextLong(half + 1));
    }

    private void pause(String consumer, Duration delay, Exception failure) {
        try {
            Thread.sleep(delay.toMillis());
        } catch (InterruptedException interrupted) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(consumer + ": interrupted while retrying", failure);
        }
    }

    void onStop(@Observes ShutdownEvent event) {
        stopping = true;
    }
}
