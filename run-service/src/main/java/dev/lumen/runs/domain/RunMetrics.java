package dev.lumen.runs.domain;

import dev.lumen.contracts.RunState;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.runtime.Startup;
import jakarta.enterprise.context.ApplicationScoped;

import java.util.Locale;

/**
 * run-service's meters on {@code /q/metrics} (Prometheus names in brackets): {@code lumen.runs}
 * [{@code lumen_runs}], a gauge of the runs this instance knows by {@code state} (its view of every
 * tenant's runs, rebuilt from the topics on start); {@code lumen.runs.planned}
 * [{@code lumen_runs_planned_total}] and {@code lumen.runs.planned.images}
 * [{@code lumen_runs_planned_images_total}]: runs whose image tasks this instance's planner committed,
 * and their tasks; {@code lumen.runs.rejected} [{@code lumen_runs_rejected_total}]: requests the planner
 * dead-lettered.
 */
@ApplicationScoped
@Startup
public class RunMetrics {

    private final Counter planned;
    private final Counter plannedImages;
    private final Counter rejected;

    public RunMetrics(MeterRegistry registry, RunViews views) {
        for (RunState state : RunState.values()) {
            Gauge.builder("lumen.runs", views, v -> v.count(state)).description("Known runs by state")
                    .tag("state", state.name().toLowerCase(Locale.ROOT)).register(registry);
        }
        planned = Counter.builder("lumen.runs.planned").description("Runs whose image tasks were committed")
                .register(registry);
        plannedImages = Counter.builder("lumen.runs.planned.images").description("Image tasks committed")
                .register(registry);
        rejected = Counter.builder("lumen.runs.rejected").description("Run requests sent to the dead letters")
                .register(registry);
    }

    /** A run's plan of {@code images} tasks committed. */
    public void planned(int images) {
        planned.increment();
        plannedImages.increment(images);
    }

    /** A request was dead-lettered instead of planned. */
    public void rejected() {
        rejected.increment();
    }
}
