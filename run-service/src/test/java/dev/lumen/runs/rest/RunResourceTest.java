package dev.lumen.runs.rest;

import dev.lumen.contracts.CloudEvent;
import dev.lumen.contracts.DatasetRef;
import dev.lumen.contracts.DeadLetter;
import dev.lumen.contracts.EventCodec;
import dev.lumen.contracts.EventTypes;
import dev.lumen.contracts.ImageTask;
import dev.lumen.contracts.ModelRef;
import dev.lumen.contracts.ObjectBox;
import dev.lumen.contracts.RunRequested;
import dev.lumen.contracts.Topics;
import dev.lumen.testing.Tokens;
import dev.lumen.service.storage.ObjectStore;
import dev.lumen.testing.LumenStackResource;
import dev.lumen.testing.TopicProbe;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import jakarta.inject.Inject;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.startsWith;

/** POST /api/runs against the real broker and S3 server: accepted runs are planned, rejected ones publish nothing. */
@QuarkusTest
@QuarkusTestResource(value = LumenStackResource.class, restrictToAnnotatedClass = false)
class RunResourceTest {

    /** Models and datasets seeded without a tenant belong to the default tenant. */
    private static final String TENANT = "default";
    private static final String MODEL = "cls-model";
    private static final String DETECTOR = "det-model";
    private static final String ATTRIBUTES = "attr-model";
    private static final String DATASET = "six-images";

    @Inject
    ObjectStore store;

    @Inject
    EventCodec codec;

    @ConfigProperty(name = "kafka.bootstrap.servers")
    String bootstrap;

    private TopicProbe probe;

    @BeforeEach
    void seed() {
        probe = new TopicProbe(bootstrap);
        store.put("models/" + MODEL + "/lumen-model.json", "{\"task\":\"classification\"}".getBytes(StandardCharsets.UTF_8), "application/json");
        store.put("models/" + DETECTOR + "/lumen-model.json", "{\"task\":\"detection\"}".getBytes(StandardCharsets.UTF_8), "application/json");
        for (int i = 0; i < 6; i++) {
            store.put("datasets/" + DATASET + "/images/img-" + i + ".png", new byte[]{1, 2, 3}, "image/png");
        }
    }

    @Test
    void acceptedRunIsPublishedAndPlannedIntoOneTaskPerSampledImage() {
        String runId = Tokens.as(TENANT).contentType(ContentType.JSON)
                .body(Map.of("name", "first", "model", MODEL, "dataset", DATASET, "method", "gradcam", "imageCount", 4, "seed", 11))
                .when().post("/api/runs")
                .then().statusCode(202)
                .body("state", equalTo("QUEUED"))
                .body("imageCount", equalTo(4))
                .header("Location", containsString("/api/runs/run-"))
                .extract().path("runId");

        List<ImageTask> tasks = tasksOf(runId, 4);
        assertThat(tasks).extracting(ImageTask::imageTotal).containsOnly(4);
        assertThat(tasks).extracting(ImageTask::imageId).doesNotHaveDuplicates();
        assertThat(tasks).extracting(ImageTask::method).containsOnly("gradcam");

        // The same seed samples the same images; another seed (very likely) does not.
        String again = create(Map.of("name", "again", "model", MODEL, "dataset", DATASET, "method", "gradcam", "imageCount", 4, "seed", 11));
        assertThat(imageIds(tasksOf(again, 4))).isEqualTo(imageIds(tasks));
    }

    @Test
    void rejectedRequestsAnswerProblemsAndPublishNothing() {
        long before = probe.endOffsetSum(Topics.RUN_REQUESTS);

        Tokens.as(TENANT).contentType(ContentType.JSON).body(Map.of("model", MODEL, "dataset", DATASET, "method", "gradcam", "imageCount", 2))
                .when().post("/api/runs")
                .then().statusCode(400).contentType(startsWith("application/problem+json"))
                .body("type", equalTo("https://lumen.dev/problems/validation"))
                .body("errors.field", hasItem("name"));
        Tokens.as(TENANT).contentType(ContentType.JSON).body("{\"name\":\"x\",\"model\":\"" + MODEL + "\",\"dataset\":\"" + DATASET
                        + "\",\"method\":\"gradcam\",\"imageCount\":\"many\"}")
                .when().post("/api/runs")
                .then().statusCode(400).contentType(startsWith("application/problem+json"))
                .body("detail", containsString("imageCount"));
        Tokens.as(TENANT).contentType(ContentType.JSON).body("{\"name\": ")
                .when().post("/api/runs")
                .then().statusCode(400).contentType(startsWith("application/problem+json"));
        Tokens.as(TENANT).contentType(ContentType.JSON).body(Map.of("name", "x", "model", MODEL, "dataset", DATASET, "method", "gradcam", "imageCount", 0))
                .when().post("/api/runs")
                .then().statusCode(400).body("errors.field", hasItem("imageCount"));
        Tokens.as(TENANT).contentType(ContentType.JSON).body(Map.of("name", "x", "model", "no-such-model", "dataset", DATASET, "method", "gradcam", "imageCount", 2))
                .when().post("/api/runs")
                .then().statusCode(404).contentType(startsWith("application/problem+json"))
                .body("type", equalTo("https://lumen.dev/problems/model-not-found"));
        Tokens.as(TENANT).contentType(ContentType.JSON).body(Map.of("name", "x", "model", MODEL, "dataset", DATASET, "method", "drise", "imageCount", 2))
                .when().post("/api/runs")
                .then().statusCode(422).body("detail", containsString("gradcam"));
        Tokens.as(TENANT).contentType(ContentType.JSON).body(Map.of("name", "x", "model", DETECTOR, "dataset", DATASET, "method", "rise", "imageCount", 2))
                .when().post("/api/runs")
                .then().statusCode(422).body("detail", containsString("drise"));
        Tokens.as(TENANT).contentType(ContentType.JSON).body(Map.of("name", "x", "model", MODEL, "dataset", DATASET, "method", "gradcam", "imageCount", 7))
                .when().post("/api/runs")
                .then().statusCode(422).body("type", equalTo("https://lumen.dev/problems/dataset-too-small"));
        Tokens.as(TENANT).contentType(ContentType.JSON).body(Map.of("name", "x", "model", MODEL, "dataset", DATASET, "method", "telepathy", "imageCount", 2))
                .when().post("/api/runs")
                .then().statusCode(400).body("errors.field", hasItem("method"));

        assertThat(probe.endOffsetSum(Topics.RUN_REQUESTS)).isEqualTo(before);
    }

    @Test
    void tasksCarryTheGroundTruthObjectsOfTheirImage() {
        String dataset = "with-boxes";
        for (int i = 0; i < 3; i++) {
            store.put("datasets/" + dataset + "/images/img-" + i + ".png", new byte[]{1, 2, 3}, "image/png");
        }
        String coco = """
                {"images": [{"id": 1, "file_name": "train/img-0.png"}, {"id": 2, "file_name": "img-1.png"},
                            {"id": 3, "file_name": "img-2.png"}],
                 "categories": [{"id": 7, "name": "car"}, {"id": 8, "name": "person"}],
                 "annotations": [{"image_id": 1, "category_id": 7, "bbox": [10, 20, 30, 40]},
                                 {"image_id": 1, "category_id": 8, "bbox": [50.5, 5, 10, 10]},
                                 {"image_id": 2, "category_id": 8, "segmentation": [[0, 0, 4, 0, 4, 4]]}]}""";
        store.put("datasets/" + dataset + "/ground-truth.json", coco.getBytes(StandardCharsets.UTF_8), "application/json");
        store.put("models/" + ATTRIBUTES + "/lumen-model.json", "{\"task\":\"attributes\"}".getBytes(StandardCharsets.UTF_8),
                "application/json");

        String runId = create(Map.of("name", "attrs", "model", ATTRIBUTES, "dataset", dataset, "method", "gradcam", "imageCount", 3));
        Map<String, ImageTask> tasks = tasksOf(runId, 3).stream().collect(Collectors.toMap(ImageTask::imageId, t -> t));
        assertThat(tasks.get("img-0.png").objects()).containsExactly(
                new ObjectBox(List.of(10.0, 20.0, 40.0, 60.0), "car"), new ObjectBox(List.of(50.5, 5.0, 60.5, 15.0), "person"));
        // No box, no object: the worker then explains the whole image as one object.
        assertThat(tasks.get("img-1.png").objects()).isNull();
        assertThat(tasks.get("img-2.png").objects()).isNull();

        // Other tasks get them too, as the context test's reference boxes (decision 0048).
        String classification = create(Map.of("name", "cls", "model", MODEL, "dataset", dataset, "method", "gradcam", "imageCount", 3));
        Map<String, ImageTask> classified = tasksOf(classification, 3).stream()
                .collect(Collectors.toMap(ImageTask::imageId, t -> t));
        assertThat(classified.get("img-0.png").objects()).isEqualTo(tasks.get("img-0.png").objects());
        assertThat(classified.get("img-1.png").objects()).isNull();
    }

    @Test
    void allowFewerTakesEveryImage() {
        String runId = Tokens.as(TENANT).contentType(ContentType.JSON)
                .body(Map.of("name", "all", "model", MODEL, "dataset", DATASET, "method", "gradcam", "imageCount", 9, "allowFewer", true))
                .when().post("/api/runs")
                .then().statusCode(202).body("imageCount", equalTo(6)).body("warnings[0]", containsString("only 6"))
                .extract().path("runId");
        assertThat(tasksOf(runId, 6)).hasSize(6);
    }

    @Test
    void runRequestFromAnotherServiceIsPlannedAndAMalformedOneIsDeadLettered() {
        RunRequested external = new RunRequested("run-external-1", "default", "from elsewhere", "gradcam", new ModelRef(MODEL),
                new DatasetRef(DATASET), 3, null, null, Map.of());
        probe.publish(Topics.RUN_REQUESTS, external.runId(),
                codec.encode(CloudEvent.of("/other/service", EventTypes.RUN_REQUESTED, external.runId(), external)));
        assertThat(tasksOf(external.runId(), 3)).hasSize(3);

        probe.publish(Topics.RUN_REQUESTS, "broken-1", "{\"specversion\":\"1.0\",\"type\":\"nonsense\"}".getBytes(StandardCharsets.UTF_8));
        probe.awaitRecords(Topics.DEAD_LETTERS, records -> records.stream()
                .map(r -> codec.decode(r.value(), EventTypes.DEAD_LETTER, DeadLetter.class).data())
                .anyMatch(d -> "broken-1".equals(d.key()) && d.reason() != null && !d.reason().isBlank()), Duration.ofSeconds(30));
    }

    private String create(Map<String, Object> body) {
        return Tokens.as(TENANT).contentType(ContentType.JSON).body(body).when().post("/api/runs")
                .then().statusCode(202).extract().path("runId");
    }

    private List<ImageTask> tasksOf(String runId, int expected) {
        List<ConsumerRecord<String, byte[]>> records = probe.awaitRecords(Topics.IMAGE_TASKS,
                all -> decodeTasks(all, runId).size() >= expected, Duration.ofSeconds(30));
        List<ImageTask> tasks = decodeTasks(records, runId);
        assertThat(tasks).hasSize(expected);
        return tasks;
    }

    private List<ImageTask> decodeTasks(List<ConsumerRecord<String, byte[]>> records, String runId) {
        return records.stream()
                .filter(r -> r.key().startsWith(runId + "/"))
                .map(r -> codec.decode(r.value(), EventTypes.IMAGE_TASK, ImageTask.class).data())
                .toList();
    }

    private static Set<String> imageIds(List<ImageTask> tasks) {
        return tasks.stream().map(ImageTask::imageId).collect(Collectors.toSet());
    }
}
