package dev.lumen.e2e;

import dev.lumen.cli.DemoAssets;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Predicate;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * One trace per run across the three services (decision 0062): the packaged platform with tracing on,
 * exporting to a test OTLP receiver. The run's trace starts at {@code POST /api/runs} in run-service,
 * goes through the planner, has a span per image task, under it the worker's explain (method, model,
 * masks used) and results-service's store, and the progress publications; every hop's context travelled
 * in the CloudEvents {@code traceparent}.
 */
class TracingIT {

    private static final int IMAGES = 3;

    private static OtlpReceiver receiver;
    private static PlatformFixture fixture;

    @BeforeAll
    static void start() {
        receiver = new OtlpReceiver();
        fixture = PlatformFixture.start("tracing", 0, 1, Map.of(
                "OTEL_SDK_DISABLED", "false",
                "OTEL_EXPORTER_OTLP_ENDPOINT", receiver.endpoint(),
                "OTEL_EXPORTER_OTLP_PROTOCOL", "http/protobuf",
                // Export within a fraction of a second rather than the default 5 s.
                "QUARKUS_OTEL_BSP_SCHEDULE_DELAY", "200ms"));
    }

    @AfterAll
    static void stop() {
        if (fixture != null) {
            fixture.close();
        }
        if (receiver != null) {
            receiver.close();
        }
    }

    @Test
    void oneTraceFollowsARunThroughRunServiceWorkersAndResultsService() {
        String runId = fixture.createRun("traced", DemoAssets.DATASET_ID, IMAGES, "gradcam");
        fixture.awaitProgress(runId, p -> "COMPLETED".equals(p.path("state").asText()), Duration.ofMinutes(3));

        List<OtlpReceiver.ReceivedSpan> run = awaitSpans(runId, spans ->
                count(spans, "lumen.store-result") >= IMAGES
                        && spans.stream().anyMatch(s -> s.name().equals("lumen.publish-progress")
                        && "COMPLETED".equals(s.attribute("lumen.run.state"))));

        Set<String> traces = run.stream().map(OtlpReceiver.ReceivedSpan::traceId).collect(Collectors.toSet());
        assertThat(traces).as("trace ids of the run's spans").hasSize(1);
        String traceId = traces.iterator().next();
        List<OtlpReceiver.ReceivedSpan> trace = receiver.spans().stream().filter(s -> s.traceId().equals(traceId)).toList();
        assertThat(trace).extracting(OtlpReceiver.ReceivedSpan::service)
                .contains("run-service", "worker-service", "results-service");

        // The root: the REST request that created the run.
        List<OtlpReceiver.ReceivedSpan> roots = trace.stream().filter(s -> s.parentSpanId().isEmpty()).toList();
        assertThat(roots).hasSize(1);
        assertThat(roots.get(0).service()).isEqualTo("run-service");
        assertThat(roots.get(0).name()).contains("POST").contains("/api/runs");

        OtlpReceiver.ReceivedSpan plan = single(trace, "lumen.plan-run");
        assertThat(plan.service()).isEqualTo("run-service");
        assertThat(plan.attribute("lumen.images")).isEqualTo(String.valueOf(IMAGES));
        assertThat(ancestors(trace, plan)).contains(roots.get(0));

        List<OtlpReceiver.ReceivedSpan> tasks = trace.stream().filter(s -> s.name().equals("lumen.image-task")).toList();
        assertThat(tasks).hasSize(IMAGES).allSatisfy(task -> assertThat(task.parentSpanId()).isEqualTo(plan.spanId()));
        assertThat(tasks.stream().map(t -> t.attribute("lumen.image.id")).distinct()).hasSize(IMAGES);
        for (OtlpReceiver.ReceivedSpan task : tasks) {
            OtlpReceiver.ReceivedSpan explain = childNamed(trace, task, "lumen.explain");
            assertThat(explain.service()).isEqualTo("worker-service");
            assertThat(explain.attribute("lumen.image.id")).isEqualTo(task.attribute("lumen.image.id"));
            assertThat(explain.attribute("lumen.method")).isEqualTo("gradcam");
            assertThat(explain.attribute("lumen.model")).isEqualTo(DemoAssets.MODEL_ID);
            assertThat(explain.attribute("lumen.masks.used")).isEqualTo("0");
            assertThat(explain.attribute("lumen.outcome")).isEqualTo("EXPLAINED");
            OtlpReceiver.ReceivedSpan store = childNamed(trace, explain, "lumen.store-result");
            assertThat(store.service()).isEqualTo("results-service");
            assertThat(store.attribute("lumen.image.id")).isEqualTo(task.attribute("lumen.image.id"));
        }
        // Progress, published by results-service, is part of the run's trace, the final state included.
        assertThat(trace).filteredOn(s -> s.name().equals("lumen.publish-progress"))
                .allSatisfy(p -> assertThat(p.service()).isEqualTo("results-service"))
                .anySatisfy(p -> assertThat(p.attribute("lumen.run.state")).isEqualTo("COMPLETED"));
        assertThat(trace).anySatisfy(s -> assertThat(s.name()).isEqualTo("lumen.record-run"));
    }

    private static List<OtlpReceiver.ReceivedSpan> awaitSpans(String runId, Predicate<List<OtlpReceiver.ReceivedSpan>> ready) {
        Instant deadline = Instant.now().plusSeconds(60);
        while (true) {
            List<OtlpReceiver.ReceivedSpan> spans = receiver.spans().stream()
                    .filter(s -> runId.equals(s.attribute("lumen.run.id"))).toList();
            if (ready.test(spans)) {
                return spans;
            }
            if (Instant.now().isAfter(deadline)) {
                throw new AssertionError("the run's spans did not all arrive within 60 s; got "
                        + spans.stream().map(s -> s.service() + ":" + s.name()).toList() + " of "
                        + receiver.spans().size() + " spans in " + receiver.posts().size() + " exports");
            }
            try {
                Thread.sleep(250);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError(e);
            }
        }
    }

    private static long count(List<OtlpReceiver.ReceivedSpan> spans, String name) {
        return spans.stream().filter(s -> s.name().equals(name)).count();
    }

    private static OtlpReceiver.ReceivedSpan single(List<OtlpReceiver.ReceivedSpan> trace, String name) {
        List<OtlpReceiver.ReceivedSpan> named = trace.stream().filter(s -> s.name().equals(name)).toList();
        assertThat(named).as(name).hasSize(1);
        return named.get(0);
    }

    private static OtlpReceiver.ReceivedSpan childNamed(List<OtlpReceiver.ReceivedSpan> trace,
                                                        OtlpReceiver.ReceivedSpan parent, String name) {
        List<OtlpReceiver.ReceivedSpan> children = trace.stream()
                .filter(s -> s.parentSpanId().equals(parent.spanId()) && s.name().equals(name)).toList();
        assertThat(children).as(name + " under " + parent.name() + " " + parent.attribute("lumen.image.id")).hasSize(1);
        return children.get(0);
    }

    private static List<OtlpReceiver.ReceivedSpan> ancestors(List<OtlpReceiver.ReceivedSpan> trace,
                                                            OtlpReceiver.ReceivedSpan span) {
        Map<String, OtlpReceiver.ReceivedSpan> byId = trace.stream()
                .collect(Collectors.toMap(OtlpReceiver.ReceivedSpan::spanId, s -> s, (a, b) -> a));
        List<OtlpReceiver.ReceivedSpan> chain = new java.util.ArrayList<>();
        OtlpReceiver.ReceivedSpan at = byId.get(span.parentSpanId());
        while (at != null) {
            chain.add(at);
            at = byId.get(at.parentSpanId());
        }
        return chain;
    }
}
