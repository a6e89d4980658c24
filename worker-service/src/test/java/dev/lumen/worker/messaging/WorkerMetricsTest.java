package dev.lumen.worker.messaging;

import dev.lumen.contracts.CloudEvent;
import dev.lumen.contracts.EventCodec;
import dev.lumen.contracts.EventTypes;
import dev.lumen.contracts.ImageResult;
import dev.lumen.contracts.ImageTask;
import dev.lumen.contracts.ModelRef;
import dev.lumen.contracts.Outcome;
import dev.lumen.contracts.Topics;
import dev.lumen.fixtures.SquaresFixture;
import dev.lumen.service.storage.ObjectStore;
import dev.lumen.testing.LumenStackResource;
import dev.lumen.testing.PrometheusText;
import dev.lumen.testing.TopicProbe;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The worker's {@code /q/metrics} count a run's images: a run of three Grad-CAM images, one RISE image
 * and one corrupt image, explained through the real broker with a model of its own (so that its series
 * start at zero whatever other tests ran in this JVM).
 */
@QuarkusTest
@QuarkusTestResource(value = LumenStackResource.class, restrictToAnnotatedClass = false)
class WorkerMetricsTest {

    @Inject
    ObjectStore store;

    @Inject
    EventCodec codec;

    @ConfigProperty(name = "kafka.bootstrap.servers")
    String bootstrap;

    @Test
    void metricsCountTheRunsImagesByOutcomeReasonMethodAndModel() throws IOException {
        Path fixture = SquaresFixture.build(Path.of("target", "fixtures", "squares"), 42L);
        String model = "squares-metrics-" + UUID.randomUUID().toString().substring(0, 8);
        Path modelDir = fixture.resolve("model");
        try (Stream<Path> files = Files.walk(modelDir)) {
            for (Path file : files.filter(Files::isRegularFile).toList()) {
                store.put("models/" + model + "/" + modelDir.relativize(file).toString().replace('\\', '/'),
                        Files.readAllBytes(file), "application/octet-stream");
            }
        }
        List<Path> images;
        try (Stream<Path> listed = Files.list(fixture.resolve("images"))) {
            images = listed.filter(p -> p.toString().endsWith(".png")).sorted().limit(4).toList();
        }
        String runId = "run-" + UUID.randomUUID();
        List<ImageTask> tasks = new ArrayList<>();
        for (int i = 0; i < images.size(); i++) {
            String imageId = "img-" + i + ".png";
            store.put("datasets/m/images/" + imageId, Files.readAllBytes(images.get(i)), "image/png");
            boolean rise = i == 3;
            tasks.add(new ImageTask(runId, "default", imageId, "datasets/m/images/" + imageId, i, 5,
                    rise ? "rise" : "gradcam", new ModelRef(model), 7L, rise ? Map.of("masks", 300) : Map.of()));
        }
        store.put("datasets/m/images/corrupt.png", "not an image".getBytes(StandardCharsets.UTF_8), "image/png");
        tasks.add(new ImageTask(runId, "default", "corrupt.png", "datasets/m/images/corrupt.png", 4, 5, "gradcam",
                new ModelRef(model), 7L, Map.of()));
        TopicProbe probe = new TopicProbe(bootstrap);
        for (ImageTask task : tasks) {
            probe.publish(Topics.IMAGE_TASKS, Topics.imageTaskKey(runId, task.imageId()),
                    codec.encode(CloudEvent.of("/test", EventTypes.IMAGE_TASK, runId, task)));
        }
        List<ImageResult> results = probe.awaitRecords(Topics.IMAGE_RESULTS,
                        all -> all.stream().filter(r -> runId.equals(r.key())).count() >= tasks.size(), Duration.ofSeconds(120))
                .stream().filter(r -> runId.equals(r.key()))
                .map(r -> codec.decode(r.value(), EventTypes.IMAGE_RESULT, ImageResult.class).data()).toList();
        long explained = results.stream().filter(r -> r.outcome() == Outcome.EXPLAINED).count();
        long forwardPasses = results.stream().mapToLong(r -> r.timing().forwardPasses()).sum();
        assertThat(explained).as("explained images of the run").isEqualTo(4);

        String modelTag = "model=\"" + model + "\"";
        PrometheusText metrics = PrometheusText.awaitScrape(
                m -> m.sum("lumen_worker_images_total", modelTag) >= tasks.size());

        assertThat(metrics.sum("lumen_worker_images_total", modelTag, "outcome=\"explained\"", "reason=\"none\"",
                "method=\"gradcam\"")).isEqualTo(3);
        assertThat(metrics.sum("lumen_worker_images_total", modelTag, "outcome=\"explained\"", "method=\"rise\""))
                .isEqualTo(1);
        assertThat(metrics.sum("lumen_worker_images_total", modelTag, "outcome=\"failed\"",
                "reason=\"image-corrupt\"")).isEqualTo(1);
        assertThat(metrics.sum("lumen_worker_explain_seconds_count", modelTag)).isEqualTo(tasks.size());
        assertThat(metrics.sum("lumen_worker_explain_seconds_bucket", modelTag, "method=\"gradcam\"",
                "outcome=\"explained\"", "le=\"+Inf\"")).isEqualTo(3);
        assertThat(metrics.sum("lumen_worker_forward_passes_total", modelTag)).isEqualTo(forwardPasses);
        assertThat(metrics.sum("lumen_worker_masks_count", modelTag, "method=\"rise\"")).isEqualTo(1);
        assertThat(metrics.sum("lumen_worker_masks_sum", modelTag)).isBetween(1.0, 300.0);
        assertThat(metrics.sum("lumen_worker_forward_batch_count", modelTag)).isEqualTo(1);
        assertThat(metrics.sum("lumen_worker_model_loads_total", modelTag, "outcome=\"loaded\"")).isEqualTo(1);
        // Every lease after the first found the model loaded: one per task, or one per batch of the
        // run's Grad-CAM tasks (the corrupt image among them: it fails after the lease), and RISE's own.
        assertThat(metrics.sum("lumen_worker_model_cache_hits_total", modelTag)).isBetween(1.0, tasks.size() - 1.0);
        assertThat(metrics.sum("lumen_worker_model_load_seconds_count", modelTag)).isEqualTo(1);
        assertThat(metrics.sum("lumen_worker_batch_images_sum")).as("every task taken by one poll")
                .isGreaterThanOrEqualTo(tasks.size());
        assertThat(metrics.sum("lumen_worker_busy_seconds_total")).isPositive();
        assertThat(metrics.names()).as("the Kafka client's own meters, consumer lag among them")
                .anyMatch(name -> name.startsWith("kafka_consumer_fetch_manager_records_lag"));
    }
}
