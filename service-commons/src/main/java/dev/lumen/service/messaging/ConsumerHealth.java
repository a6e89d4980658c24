package dev.lumen.service.messaging;

import jakarta.enterprise.context.ApplicationScoped;
import org.jboss.logging.Logger;

import java.time.Instant;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Which consumers are retrying through a fault right now, and why; {@link ConsumerHealthCheck} reports
 * it. Logs the start and the end of each degraded episode once, not every attempt.
 */
@ApplicationScoped
public class ConsumerHealth {

    private static final Logger LOG = Logger.getLogger(ConsumerHealth.class);

    private final Map<String, Degradation> degraded = new ConcurrentHashMap<>();

    /**
     * Why a consumer is degraded.
     *
     * @param reason the failure it is retrying through
     * @param since when it started failing
     * @param attempts attempts so far at the current message
     */
    public record Degradation(String reason, Instant since, int attempts) {
    }

    /** Notes that {@code consumer} failed and is retrying; logs the first failure of an episode. */
    public void degraded(String consumer, String reason, int attempts) {
        Degradation previous = degraded.put(consumer, new Degradation(reason,
                degraded.containsKey(consumer) ? degraded.get(consumer).since() : Instant.now(), attempts));
        if (previous == null) {
            LOG.warnf("%s DEGRADED, retrying: %s", consumer, reason);
        }
    }

    /** Notes that {@code consumer} handled a message again; logs the recovery of a degraded consumer. */
    public void recovered(String consumer) {
        Degradation previous = degraded.remove(consumer);
        if (previous != null) {
            LOG.infof("%s recovered after %d attempts (degraded since %s: %s)", consumer, previous.attempts(),
                    previous.since(), previous.reason());
        }
    }

    /** The degraded consumers now, by name. */
    public Map<String, Degradation> degradations() {
        return Map.copyOf(degraded);
    }
}
