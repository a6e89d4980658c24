package dev.lumen.service.messaging;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

import java.time.Duration;

/**
 * How consumers retry a message whose handling failed (see {@link ConsumerRetry}). Each key is also
 * settable as an environment variable, e.g. {@code LUMEN_CONSUMER_RETRY_MAX_DELAY=10s}.
 */
@ConfigMapping(prefix = "lumen.consumer-retry")
public interface RetryConfig {

    /** Pause before the first retry; each further retry doubles it, up to {@link #maxDelay()}. */
    @WithDefault("200ms")
    Duration initialDelay();

    /**
     * The longest pause between two attempts. It bounds how long a consumer stays idle after its
     * dependency is back, so it is kept well under the 15 s a run may stall after a fault.
     */
    @WithDefault("5s")
    Duration maxDelay();

    /**
     * Attempts at a message that fails for a reason of its own (not an outage) before it is given up
     * and sent to the dead letters. Outages are retried for as long as they last.
     */
    @WithDefault("5")
    int maxAttempts();
}
