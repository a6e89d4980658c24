package dev.lumen.e2e;

import com.fasterxml.jackson.databind.JsonNode;
import dev.lumen.cli.DemoAssets;
import dev.lumen.cli.Platform;
import dev.lumen.cli.ProgressBar;
import dev.lumen.cli.RunClient;
import dev.lumen.cli.RunWatcher;
import dev.lumen.cli.Workspace;
import dev.lumen.contracts.EventCodec;
import dev.lumen.contracts.EventTypes;
import dev.lumen.contracts.RunProgress;
import dev.lumen.contracts.RunState;
import dev.lumen.contracts.Topics;
import dev.lumen.devstack.TestStack;
import dev.lumen.testing.TopicProbe;
import io.minio.GetObjectArgs;
import io.minio.ListObjectsArgs;
import io.minio.MinioClient;
import io.minio.Result;
import io.minio.messages.Item;
import io.restassured.http.ContentType;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import javax.imageio.ImageIO;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.io.PrintStream;
import java.io.OutputStream;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.startsWith;

/**
 * The platform as users run it: devstack (real Kafka in KRaft mode, real S3Proxy) and the three packaged
 * services as separate JVMs, the demo model trained in Java, a run submitted over REST.
 */
class EndToEndIT {

    private static final int IMAGES = 6;

    private static Platform platform;
    private static RunClient client;
    private static EventCodec codec = new EventCodec();

    @BeforeAll
    static void startPlatform() {
        Workspace workspace = Workspace.locate(Path.of(""));
        Path work = Path.of(System.getProperty("lumen.e2e.work", "target/e2e")).toAbsolutePath();
        platform = Platform.start(workspace, work.resolve("platform"), Map.of());
        DemoAssets assets = new DemoAssets(workspace, work.resolve("assets"));
        assets.upload(assets.ensureBuilt(), platform.endpoints());
        client = new RunClient(platform.baseUrl("run-service"), platform.baseUrl("results-service"));
    }

    @AfterAll
    static void stopPlatform() {
        if (platform != null) {
            platform.close();
        }
    }

    @Test
    void runCompletesWithHeatmapAndOverlayForEverySampledImage() throws Exception {
        JsonNode accepted = client.create(Map.of("name", "e2e", "model", DemoAssets.MODEL_ID, "dataset", DemoAssets.DATASET_ID,
                "method", "gradcam", "imageCount", IMAGES, "seed", 5));
        String runId = accepted.path("runId").asText();
        JsonNode run = new RunWatcher(client).follow(runId, new ProgressBar(new PrintStream(OutputStream.nullOutputStream()), false),
                Duration.ofMinutes(5));

        JsonNode progress = run.path("progress");
        assertThat(progress.path("state").asText()).isEqualTo("COMPLETED");
        assertThat(progress.path("explained").asInt()).isEqualTo(IMAGES);
        assertThat(run.path("images")).hasSize(IMAGES);

        MinioClient s3 = s3();
        TestStack.Endpoints endpoints = platform.endpoints();
        for (JsonNode image : run.path("images")) {
            String prefix = "runs/" + runId + "/images/" + image.path("imageId").asText() + "/";
            List<String> keys = keys(s3, endpoints.s3Bucket(), prefix);
            assertThat(keys).contains(prefix + "saliency-0.png", prefix + "heatmap-0.png", prefix + "overlay-0.png", prefix + "result.json");
            for (String file : List.of("saliency-0.png", "heatmap-0.png", "overlay-0.png")) {
                BufferedImage png = read(s3, endpoints.s3Bucket(), prefix + file);
                assertThat(png).as(file).isNotNull();
                assertThat(png.getWidth()).as(file + " width").isEqualTo(image.path("width").asInt());
                if (file.startsWith("heatmap")) {
                    // The heatmap carries its colour legend in a strip below the map (README, storage layout).
                    assertThat(png.getHeight()).as(file + " height").isGreaterThan(image.path("height").asInt());
                } else {
                    assertThat(png.getHeight()).as(file + " height").isEqualTo(image.path("height").asInt());
                }
            }
        }

        // results-service serves the run to its tenant's token only.
        String results = platform.baseUrl("results-service") + "/api/runs/" + runId;
        given().get(results).then().statusCode(401).contentType(startsWith("application/problem+json"));
        given().header("Authorization", "Bearer " + platform.token("another-tenant")).get(results)
                .then().statusCode(404).contentType(startsWith("application/problem+json"));
        given().header("Authorization", "Bearer " + platform.token("default")).get(results + "/insights")
                .then().statusCode(200).body("complete", equalTo(true));

        TopicProbe probe = new TopicProbe(endpoints.kafkaBootstrapServers());
        List<ConsumerRecord<String, byte[]>> records = probe.awaitRecords(Topics.RUN_PROGRESS,
                all -> lastProgress(all, runId) != null && lastProgress(all, runId).state().terminal(), Duration.ofSeconds(30));
        RunProgress last = lastProgress(records, runId);
        assertThat(last.state()).isEqualTo(RunState.COMPLETED);
        assertThat(last.total()).isEqualTo(IMAGES);
        assertThat(last.explained()).isEqualTo(IMAGES);
        assertThat(last.skipped()).isZero();
        assertThat(last.failed()).isZero();
    }

    @Test
    void badRequestsAreProblemsAndPublishNothing() {
        TopicProbe probe = new TopicProbe(platform.endpoints().kafkaBootstrapServers());
        long before = probe.endOffsetSum(Topics.RUN_REQUESTS);
        String runs = platform.baseUrl("run-service") + "/api/runs";
        String auth = "Bearer " + platform.token("default");

        given().header("Authorization", auth).contentType(ContentType.JSON).body(Map.of("name", "x", "dataset", DemoAssets.DATASET_ID, "method", "gradcam", "imageCount", 2))
                .when().post(runs)
                .then().statusCode(400).contentType(startsWith("application/problem+json")).body("errors.field", hasItem("model"));
        given().header("Authorization", auth).contentType(ContentType.JSON).body("{\"name\":\"x\",\"model\":\"" + DemoAssets.MODEL_ID + "\",\"dataset\":\""
                        + DemoAssets.DATASET_ID + "\",\"method\":\"gradcam\",\"imageCount\":[1]}")
                .when().post(runs)
                .then().statusCode(400).contentType(startsWith("application/problem+json"));
        given().header("Authorization", auth).contentType(ContentType.JSON).body(Map.of("name", "x", "model", "nope", "dataset", DemoAssets.DATASET_ID, "method", "gradcam", "imageCount", 2))
                .when().post(runs)
                .then().statusCode(404).body("type", equalTo("https://lumen.dev/problems/model-not-found"));

        given().contentType(ContentType.JSON).body(Map.of("name", "x", "model", DemoAssets.MODEL_ID, "dataset", DemoAssets.DATASET_ID,
                        "method", "gradcam", "imageCount", 2))
                .when().post(runs)
                .then().statusCode(401).contentType(startsWith("application/problem+json"));

        assertThat(probe.endOffsetSum(Topics.RUN_REQUESTS)).isEqualTo(before);
    }

    private static RunProgress lastProgress(List<ConsumerRecord<String, byte[]>> records, String runId) {
        RunProgress last = null;
        for (ConsumerRecord<String, byte[]> record : records) {
            if (runId.equals(record.key())) {
                last = codec.decode(record.value(), EventTypes.RUN_PROGRESS, RunProgress.class).data();
            }
        }
        return last;
    }

    private static MinioClient s3() {
        TestStack.Endpoints e = platform.endpoints();
        return MinioClient.builder().endpoint(e.s3Endpoint()).credentials(e.s3AccessKey(), e.s3SecretKey()).region(e.s3Region()).build();
    }

    private static List<String> keys(MinioClient s3, String bucket, String prefix) throws Exception {
        List<String> keys = new ArrayList<>();
        for (Result<Item> item : s3.listObjects(ListObjectsArgs.builder().bucket(bucket).prefix(prefix).recursive(true).build())) {
            keys.add(item.get().objectName());
        }
        return keys;
    }

    private static BufferedImage read(MinioClient s3, String bucket, String key) throws Exception {
        try (InputStream in = s3.getObject(GetObjectArgs.builder().bucket(bucket).object(key).build())) {
            return ImageIO.read(new ByteArrayInputStream(in.readAllBytes()));
        }
    }
}
