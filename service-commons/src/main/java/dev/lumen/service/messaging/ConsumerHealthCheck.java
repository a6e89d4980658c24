package dev.lumen.service.messaging;

import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.HealthCheckResponseBuilder;
import org.eclipse.microprofile.health.Liveness;
import org.eclipse.microprofile.health.Readiness;

import java.util.Map;
import java.util.TreeMap;

/**
 * Health check {@code lumen-consumers}, in liveness and readiness: data {@code state} is {@code OK}, or
 * {@code DEGRADED} while a consumer retries through a fault, with one entry per such consumer giving the
 * reason, since when and the attempts so far. The status stays UP while degraded: the consumer heals by
 * itself once the dependency is back, so neither a restart (liveness) nor routing traffic elsewhere
 * (readiness) would help, and the REST API keeps answering from what it has. The broker connection
 * itself is reported by SmallRye's own Kafka checks.
 */
@ApplicationScoped
@Liveness
@Readiness
public class ConsumerHealthCheck implements HealthCheck {

    /** Name of the check in {@code /q/health}. */
    public static final String CHECK = "lumen-consumers";

    private final ConsumerHealth health;

    public ConsumerHealthCheck(ConsumerHealth health) {
        this.health = health;
    }

    @Override
    public HealthCheckResponse call() {
        HealthCheckResponseBuilder response = HealthCheckResponse.named(CHECK).up();
        Map<String, ConsumerHealth.Degradation> now = new TreeMap<>(health.degradations());
        response.withData("state", now.isEmpty() ? "OK" : "DEGRADED");
        now.forEach((consumer, d) -> response.withData(consumer,
                "DEGRADED since " + d.since() + " (" + d.attempts() + " attempts): " + d.reason()));
        return response.build();
    }
}
