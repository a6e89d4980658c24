package dev.lumen.results.previews;

import dev.lumen.contracts.CloudEvent;
import dev.lumen.contracts.EventCodec;
import dev.lumen.contracts.EventTypes;
import dev.lumen.contracts.ImagePreview;
import dev.lumen.contracts.PreviewMap;
import dev.lumen.contracts.RunState;
import dev.lumen.contracts.Topics;
import dev.lumen.results.TestRuns;
import dev.lumen.service.storage.ObjectStore;
import dev.lumen.testing.LumenStackResource;
import dev.lumen.testing.Tokens;
import dev.lumen.testing.TopicProbe;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import jakarta.inject.Inject;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.function.Predicate;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Previews through the real broker (decision 0045): the latest per image and target is served to the
 * run's tenant only, never counted, and gone once the image's result is in; a late preview of an image
 * with a result stays out.
 */
@QuarkusTest
@QuarkusTestResource(value = LumenStackResource.class, restrictToAnnotatedClass = false)
class PreviewFlowTest {

    @Inject
    ObjectStore store;

    @Inject
    EventCodec codec;

    @ConfigProperty(name = "kafka.bootstrap.servers")
    String bootstrap;

    @Test
    void theLatestPreviewPerTargetIsServedUntilTheImageResultArrives() {
        TopicProbe probe = new TopicProbe(bootstrap);
        TestRuns run = new TestRuns(codec, probe, store, 2).requested();
        run.awaitProgress(p -> p.state() == RunState.QUEUED || p.state() == RunState.RUNNING, Duration.ofSeconds(30));

        publish(probe, preview(run, "a.png", 0, "cat", 160));
        publish(probe, preview(run, "a.png", 1, "dog", 160));
        publish(probe, preview(run, "a.png", 0, "cat", 320));
        // Out of order: an older preview must not replace a newer one.
        publish(probe, preview(run, "a.png", 0, "cat", 240));
        publish(probe, preview(run, "b.png", 0, "cat", 80));

        JsonPath shown = await(run, j -> j.getList("$").size() == 3
                && j.getInt("find { it.imageId == 'a.png' && it.target == 0 }.masks") == 320);
        assertThat(shown.getList("imageId", String.class)).containsExactly("a.png", "a.png", "b.png");
        assertThat(shown.getList("target", Integer.class)).containsExactly(0, 1, 0);
        assertThat(shown.getList("masks", Integer.class)).containsExactly(320, 160, 80);
        assertThat(shown.getList("label", String.class)).containsExactly("cat", "dog", "cat");
        assertThat(shown.getInt("[0].width")).isEqualTo(4);
        assertThat(shown.getList("[0].cells", Integer.class)).hasSize(8).contains(0, 255);
        assertThat(shown.getInt("[0].budget")).isEqualTo(5000);

        // Another tenant sees no such run; previews are not results.
        Tokens.as("stranger").get("/api/runs/" + run.runId + "/previews").then().statusCode(404);
        Tokens.as(TestRuns.TENANT).get("/api/runs/" + run.runId + "/progress").then().statusCode(200)
                .body("explained", org.hamcrest.Matchers.equalTo(0));

        run.publish(run.explained("a.png", TestRuns.detection("cat", 0.9, 10, 10, 50, 50)));
        run.awaitProgress(p -> p.explained() == 1, Duration.ofSeconds(30));
        // A preview that comes after its image's result (another topic, another partition) stays out.
        publish(probe, preview(run, "a.png", 0, "cat", 400));
        publish(probe, preview(run, "b.png", 0, "cat", 160));

        JsonPath after = await(run, j -> j.getList("$").size() == 1 && j.getInt("[0].masks") == 160);
        assertThat(after.getString("[0].imageId")).isEqualTo("b.png");
        assertThat(after.getList("imageId", String.class)).doesNotContain("a.png");
    }

    @Test
    void aMalformedPreviewIsSkippedAndTheNextOneStillArrives() {
        TopicProbe probe = new TopicProbe(bootstrap);
        TestRuns run = new TestRuns(codec, probe, store, 1).requested();
        run.awaitProgress(p -> p.state() == RunState.QUEUED || p.state() == RunState.RUNNING, Duration.ofSeconds(30));

        probe.publish(Topics.IMAGE_PREVIEWS, Topics.imageTaskKey(run.runId, "a.png"), "{not json".getBytes());
        publish(probe, preview(run, "a.png", 0, "cat", 160));

        assertThat(await(run, j -> j.getList("$").size() == 1).getInt("[0].masks")).isEqualTo(160);
    }

    private ImagePreview preview(TestRuns run, String imageId, int target, String label, int masks) {
        return new ImagePreview(run.runId, run.tenant, imageId, target, label, 0.9, List.of(10.0, 10.0, 50.0, 50.0),
                masks, 5000, Math.min(0.99, masks / 500.0),
                PreviewMap.of(new float[] {0, 1, 2, 3, 4, 5, 6, (float) masks}, 4, 2), Instant.now(), "w1");
    }

    private void publish(TopicProbe probe, ImagePreview preview) {
        probe.publish(Topics.IMAGE_PREVIEWS, Topics.imageTaskKey(preview.runId(), preview.imageId()),
                codec.encode(CloudEvent.of("/test", EventTypes.IMAGE_PREVIEW, preview.runId(), preview)));
    }

    private static JsonPath await(TestRuns run, Predicate<JsonPath> done) {
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        JsonPath last;
        do {
            last = Tokens.as(TestRuns.TENANT).get("/api/runs/" + run.runId + "/previews").then().statusCode(200)
                    .extract().jsonPath();
            if (done.test(last)) {
                return last;
            }
            try {
                Thread.sleep(200);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            }
        } while (System.nanoTime() < deadline);
        throw new AssertionError("previews never got there; last: " + last.prettify());
    }
}
