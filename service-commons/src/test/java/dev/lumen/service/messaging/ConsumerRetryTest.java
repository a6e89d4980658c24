package dev.lumen.service.messaging;

import dev.lumen.service.storage.StorageException;
import org.apache.kafka.common.errors.TimeoutException;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.net.ConnectException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The retry rules every consumer shares: outages are retried until they end, with the consumer
 * DEGRADED (and the reason) meanwhile; a message's own failure is given up after the bounded number
 * of attempts; pauses grow exponentially, stay under the cap and are jittered.
 */
class ConsumerRetryTest {

    private static final RetryConfig FAST = new RetryConfig() {
        @Override
        public Duration initialDelay() {
            return Duration.ofMillis(2);
        }

        @Override
        public Duration maxDelay() {
            return Duration.ofMillis(20);
        }

        @Override
        public int maxAttempts() {
            return 4;
        }
    };

    private final ConsumerHealth health = new ConsumerHealth();
    private final ConsumerRetry retry = new ConsumerRetry(FAST, health);

    @Test
    void anOutageIsRetriedPastTheAttemptBoundWhileHealthSaysDegradedThenHeals() {
        AtomicInteger calls = new AtomicInteger();
        List<String> seenWhileFailing = new ArrayList<>();
        ConsumerRetry.Handled<String> handled = retry.handle("test/consumer", () -> {
            if (calls.incrementAndGet() <= 10) {
                health.degradations().values().forEach(d -> seenWhileFailing.add(d.reason()));
                throw new StorageException("object storage failed on runs/r/images/a/result.json: Connection reset",
                        new ConnectException("Connection refused"));
            }
            return "stored";
        });

        assertThat(handled.gaveUp()).isFalse();
        assertThat(handled.value()).isEqualTo("stored");
        assertThat(handled.attempts()).isEqualTo(11); // far beyond maxAttempts: an outage is not the message's fault
        assertThat(seenWhileFailing).isNotEmpty()
                .allSatisfy(reason -> assertThat(reason).startsWith("dependency unavailable: object storage failed")
                        .contains("Connection refused"));
        assertThat(health.degradations()).isEmpty();
    }

    @Test
    void aBrokerTimeoutCountsAsAnOutage() {
        AtomicInteger calls = new AtomicInteger();
        ConsumerRetry.Handled<Integer> handled = retry.handle("test/broker", () -> {
            if (calls.incrementAndGet() <= 6) {
                throw new IllegalStateException("send failed", new TimeoutException("Topic not present in metadata"));
            }
            return 42;
        });
        assertThat(handled.value()).isEqualTo(42);
        assertThat(handled.attempts()).isEqualTo(7);
    }

    @Test
    void aMessageThatFailsForItsOwnReasonIsGivenUpAfterTheBoundedAttempts() {
        AtomicInteger calls = new AtomicInteger();
        ConsumerRetry.Handled<Void> handled = retry.handle("test/poison", () -> {
            calls.incrementAndGet();
            throw new IllegalArgumentException("box has 3 coordinates");
        });

        assertThat(handled.gaveUp()).isTrue();
        assertThat(calls.get()).isEqualTo(4);
        assertThat(handled.attempts()).isEqualTo(4);
        assertThat(handled.reason()).isEqualTo("gave up after 4 attempts: box has 3 coordinates");
        assertThat(health.degradations()).as("giving up ends the episode").isEmpty();
    }

    @Test
    void outagesBetweenOwnFailuresDoNotUseUpTheAttempts() {
        AtomicInteger calls = new AtomicInteger();
        ConsumerRetry.Handled<Void> handled = retry.handle("test/mixed", () -> {
            int call = calls.incrementAndGet();
            if (call % 2 == 0) {
                throw new StorageException("down", new IOException("Broken pipe"));
            }
            throw new NullPointerException("no field");
        });
        assertThat(handled.gaveUp()).isTrue();
        assertThat(calls.get()).isEqualTo(7); // 4 own failures with 3 outages between them
    }

    @Test
    void pausesGrowExponentiallyUpToTheCapWithEqualJitter() {
        Duration initial = Duration.ofMillis(200);
        Duration max = Duration.ofSeconds(5);
        for (int attempt = 1; attempt <= 64; attempt++) {
            long base = Math.min(5000, 200L << Math.min(attempt - 1, 20));
            for (int sample = 0; sample < 50; sample++) {
                long delay = ConsumerRetry.delay(attempt, initial, max).toMillis();
                assertThat(delay).as("attempt %d", attempt).isBetween(base / 2, base);
            }
        }
        // Jittered: retries of consumers that failed together spread out.
        assertThat(java.util.stream.IntStream.range(0, 50)
                .mapToLong(i -> ConsumerRetry.delay(10, initial, max).toMillis()).distinct().count()).isGreaterThan(5);
    }

    @Test
    void transientFaultsAreOutagesOfStorageOrTheBrokerOnly() {
        assertThat(TransientFaults.isTransient(new StorageException("x", new ConnectException("refused")))).isTrue();
        assertThat(TransientFaults.isTransient(new RuntimeException(new TimeoutException("t")))).isTrue();
        assertThat(TransientFaults.isTransient(new IllegalArgumentException("bad parameter"))).isFalse();
        assertThat(TransientFaults.isTransient(new StorageException("x", new IllegalStateException("no")))).isFalse();
    }
}
