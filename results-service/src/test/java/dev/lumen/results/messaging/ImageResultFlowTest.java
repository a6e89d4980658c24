package dev.lumen.results.messaging;

import dev.lumen.contracts.CloudEvent;
import dev.lumen.contracts.DatasetRef;
import dev.lumen.contracts.EventCodec;
import dev.lumen.contracts.EventTypes;
import dev.lumen.contracts.Explanation;
import dev.lumen.contracts.ImageResult;
import dev.lumen.contracts.Metrics;
import dev.lumen.contracts.ModelRef;
import dev.lumen.contracts.Outcome;
import dev.lumen.contracts.RunProgress;
import dev.lumen.contracts.RunRequested;
import dev.lumen.contracts.RunState;
import dev.lumen.contracts.EncodedSaliencyMap;
import dev.lumen.contracts.Target;
import dev.lumen.contracts.Timing;
import dev.lumen.contracts.Topics;
import dev.lumen.render.SaliencyPng;
import dev.lumen.results.TestRuns;
import dev.lumen.service.storage.ObjectStore;
import dev.lumen.testing.LumenStackResource;
import dev.lumen.testing.Tokens;
import dev.lumen.testing.PrometheusText;
import dev.lumen.testing.TopicProbe;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.Test;

import javax.imageio.ImageIO;
import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;

/**
 * Result events through the real broker into the real S3 server: files stored once with the documented
 * layout at the image's size, duplicates not counted, progress published on the compacted topic.
 */
@QuarkusTest
@QuarkusTestResource(value = LumenStackResource.class, restrictToAnnotatedClass = false)
class ImageResultFlowTest {

    private static final int WIDTH = 120;
    private static final int HEIGHT = 80;

    @Inject
    ObjectStore store;

    @Inject
    EventCodec codec;

    @ConfigProperty(name = "kafka.bootstrap.servers")
    String bootstrap;

    @Test
    void resultsAreStoredOnceAndProgressReachesCompletedWithExactCounts() throws IOException {
        TopicProbe probe = new TopicProbe(bootstrap);
        PrometheusText before = PrometheusText.scrape();
        String runId = "run-" + UUID.randomUUID();
        List<String> images = List.of("a.png", "b.png", "c.png");
        for (String image : images) {
            store.put("datasets/flow/images/" + image, png(photo()), "image/png");
        }
        RunRequested request = new RunRequested(runId, TestRuns.TENANT, "flow", "gradcam", new ModelRef("m"),
                new DatasetRef("flow"), 3, 1L, null, Map.of());
        probe.publish(Topics.RUN_REQUESTS, runId, codec.encode(CloudEvent.of("/test", EventTypes.RUN_REQUESTED, runId, request)));

        publish(probe, explained(runId, "a.png"));
        publish(probe, explained(runId, "a.png")); // a redelivery
        publish(probe, explained(runId, "b.png"));
        publish(probe, result(runId, "c.png").outcome(Outcome.SKIPPED).reason("no prediction above 0.5")
                .predictions(List.of()).timing(new Timing(5, 1)).build());

        List<ConsumerRecord<String, byte[]>> progress = probe.awaitRecords(Topics.RUN_PROGRESS,
                records -> last(records, runId) != null && last(records, runId).state().terminal(), Duration.ofSeconds(60));
        RunProgress done = last(progress, runId);
        assertThat(done.state()).isEqualTo(RunState.COMPLETED_WITH_SKIPS);
        assertThat(done.total()).isEqualTo(3);
        assertThat(done.explained()).isEqualTo(2);
        assertThat(done.skipped()).isEqualTo(1);
        assertThat(done.failed()).isZero();
        assertThat(done.skipReasons()).containsEntry("no prediction above 0.5", 1);
        PrometheusText after = PrometheusText.awaitScrape(m -> m.sum("lumen_results_duplicates_total")
                > before.sum("lumen_results_duplicates_total"));
        assertThat(after.sum("lumen_results_stored_total", "outcome=\"explained\"")
                - before.sum("lumen_results_stored_total", "outcome=\"explained\"")).isEqualTo(2);
        assertThat(after.sum("lumen_results_stored_total", "outcome=\"skipped\"")
                - before.sum("lumen_results_stored_total", "outcome=\"skipped\"")).isEqualTo(1);
        assertThat(after.sum("lumen_results_duplicates_total") - before.sum("lumen_results_duplicates_total"))
                .isEqualTo(1);
        assertThat(after.sum("lumen_results_render_seconds_count") - before.sum("lumen_results_render_seconds_count"))
                .as("images whose maps were rendered").isEqualTo(2);
        assertThat(after.sum("lumen_results_store_seconds_count") - before.sum("lumen_results_store_seconds_count"))
                .isEqualTo(3);
        assertThat(after.sum("lumen_results_progress_published_total"))
                .isGreaterThan(before.sum("lumen_results_progress_published_total"));
        assertThat(after.names()).anyMatch(name -> name.startsWith("kafka_consumer_fetch_manager_records_lag"));

        for (String image : List.of("a.png", "b.png")) {
            String prefix = "runs/" + runId + "/images/" + image + "/";
            assertThat(store.list(prefix)).containsExactlyInAnyOrder(prefix + "result.json", prefix + "saliency-0.png",
                    prefix + "heatmap-0.png", prefix + "overlay-0.png");
            BufferedImage saliency = ImageIO.read(new ByteArrayInputStream(store.get(prefix + "saliency-0.png").orElseThrow()));
            assertThat(saliency.getWidth()).isEqualTo(WIDTH);
            assertThat(saliency.getHeight()).isEqualTo(HEIGHT);
            assertThat(saliency.getColorModel().getPixelSize()).isEqualTo(16);
            BufferedImage overlay = ImageIO.read(new ByteArrayInputStream(store.get(prefix + "overlay-0.png").orElseThrow()));
            assertThat(overlay.getWidth()).isEqualTo(WIDTH);
            assertThat(overlay.getHeight()).isEqualTo(HEIGHT);
        }
        assertThat(store.list("runs/" + runId + "/images/c.png/")).containsExactly("runs/" + runId + "/images/c.png/result.json");

        Tokens.as(TestRuns.TENANT).get("/api/runs/" + runId)
                .then().statusCode(200)
                .body("progress.state", equalTo("COMPLETED_WITH_SKIPS"))
                .body("progress.explained", equalTo(2))
                .body("images.size()", equalTo(3));
        Tokens.as(TestRuns.TENANT).get("/api/runs/" + runId + "/images/a.png/overlay-0.png")
                .then().statusCode(200).contentType("image/png");
        Tokens.as(TestRuns.TENANT).get("/api/runs/no-such-run")
                .then().statusCode(404).contentType("application/problem+json");
    }

    private void publish(TopicProbe probe, ImageResult result) {
        probe.publish(Topics.IMAGE_RESULTS, result.runId(),
                codec.encode(CloudEvent.of("/test", EventTypes.IMAGE_RESULT, result.runId(), result)));
    }

    private RunProgress last(List<ConsumerRecord<String, byte[]>> records, String runId) {
        RunProgress last = null;
        for (ConsumerRecord<String, byte[]> record : records) {
            if (runId.equals(record.key())) {
                last = codec.decode(record.value(), EventTypes.RUN_PROGRESS, RunProgress.class).data();
            }
        }
        return last;
    }

    private static ImageResult explained(String runId, String imageId) {
        float[] values = new float[30 * 20];
        values[10 * 30 + 15] = 1f;
        values[10 * 30 + 16] = 0.5f;
        String data = Base64.getEncoder().encodeToString(SaliencyPng.encode16(new dev.lumen.render.SaliencyMap(values, 30, 20)));
        Target target = new Target("class", "red", 0, 0.93, null);
        return result(runId, imageId).outcome(Outcome.EXPLAINED).targetLayer("conv3").predictions(List.of(target))
                .explanations(List.of(new Explanation(target, new EncodedSaliencyMap(30, 20, EncodedSaliencyMap.PNG16_BASE64, data),
                        new Metrics(0.1, 0.8))))
                .timing(new Timing(12, 1)).build();
    }

    /** What every result of the flow's run shares. */
    private static ImageResult.Builder result(String runId, String imageId) {
        return ImageResult.builder().runId(runId).tenant(TestRuns.TENANT).imageId(imageId)
                .imageKey("datasets/flow/images/" + imageId).imageTotal(3).size(WIDTH, HEIGHT).method("gradcam")
                .model(new ModelRef("m")).worker("test-worker");
    }

    private static BufferedImage photo() {
        BufferedImage image = new BufferedImage(WIDTH, HEIGHT, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = image.createGraphics();
        g.setColor(Color.DARK_GRAY);
        g.fillRect(0, 0, WIDTH, HEIGHT);
        g.setColor(Color.RED);
        g.fillRect(50, 30, 20, 20);
        g.dispose();
        return image;
    }

    private static byte[] png(BufferedImage image) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ImageIO.write(image, "png", out);
        return out.toByteArray();
    }
}
