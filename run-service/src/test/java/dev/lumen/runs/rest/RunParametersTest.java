package dev.lumen.runs.rest;

import dev.lumen.contracts.CloudEvent;
import dev.lumen.contracts.DatasetRef;
import dev.lumen.contracts.DeadLetter;
import dev.lumen.contracts.EventCodec;
import dev.lumen.contracts.EventTypes;
import dev.lumen.contracts.ImageTask;
import dev.lumen.contracts.ModelRef;
import dev.lumen.contracts.RunRequested;
import dev.lumen.contracts.Topics;
import dev.lumen.runs.storage.IdempotencyStore;
import dev.lumen.runs.testing.TestData;
import dev.lumen.service.storage.ObjectStore;
import dev.lumen.testing.LumenStackResource;
import dev.lumen.testing.Tokens;
import dev.lumen.testing.TopicProbe;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.response.Response;
import jakarta.inject.Inject;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Run parameters are checked at the front door against the method catalogue and the model's labels:
 * a bad one answers a 400 problem naming {@code parameters.<name>} and what it allows, and nothing
 * reaches any topic; requests other services publish straight onto the topic are refused the same way.
 */
@QuarkusTest
@QuarkusTestResource(value = LumenStackResource.class, restrictToAnnotatedClass = false)
class RunParametersTest {

    @Inject
    ObjectStore store;

    @Inject
    EventCodec codec;

    private TopicProbe probe;
    private String tenant;
    /** A classifier whose descriptor lists its labels, cat and dog. */
    private String classifier;
    private String detector;
    /** A classifier registered with its graph's operations listed (image, conv1, relu4, scores). */
    private String layered;
    private String dataset;

    /**
     * One refused request.
     *
     * @param field the field the problem must name
     * @param allowed text the detail must hold besides the parameter's name
     */
    private record Case(String model, String method, Map<String, Object> parameters, String field, String allowed) {
    }

    @BeforeEach
    void seed() {
        tenant = TestData.tenant();
        probe = TestData.probe();
        classifier = "labelled-" + tenant;
        TestData.model(store, classifier, "classification", tenant, List.of("cat", "dog"));
        detector = "det-" + tenant;
        TestData.model(store, detector, "detection", tenant);
        dataset = TestData.dataset(tenant, "three", 3);
        layered = "layered-" + tenant;
        TestData.model(store, layered, "classification", tenant, List.of("cat", "dog"));
        store.put("models/" + layered + "/lumen-operations.txt", "image\nconv1\nrelu4\nscores\n".getBytes(),
                "text/plain");
    }

    @Test
    void badParametersAnswer400ProblemsNamingTheParameterAndPublishNothing() throws InterruptedException {
        List<Case> cases = List.of(
                new Case(detector, "drise", Map.of("masks", -3), "parameters.masks", "1..100000"),
                new Case(classifier, "gradcam", Map.of("nosuch", 1), "parameters.nosuch", "unknown parameter"),
                new Case(classifier, "gradcam", Map.of("masks", 5), "parameters.masks", "taken by rise, drise"),
                new Case(classifier, "gradcam", Map.of("metricSteps", 100_000), "parameters.metricSteps", "2..256"),
                new Case(classifier, "gradcam", Map.of("metricSteps", 2.5), "parameters.metricSteps", "an integer"),
                new Case(classifier, "gradcam", Map.of("metrics", "yes"), "parameters.metrics", "true or false"),
                new Case(classifier, "gradcam", Map.of("targetLayer", Map.of("op", "conv")), "parameters.targetLayer",
                        "a string"),
                new Case(classifier, "rise", Map.of("p", 1), "parameters.p", "(0, 1)"),
                new Case(classifier, "rise", Map.of("sampling", "orthogonal", "p", 0.3), "parameters.sampling", "p = 0.5"),
                new Case(classifier, "gradcam", Map.of("cropMargin", 0.1), "parameters.cropMargin", "attributes"),
                new Case(classifier, "gradcam", Map.of("class", "zebra"), "parameters.class", "cat, dog"),
                new Case(classifier, "gradcam", Map.of("class", 2), "parameters.class", "0..1"),
                // JSON numbers and booleans must be JSON numbers and booleans, not their text.
                new Case(detector, "drise", Map.of("masks", "2000"), "parameters.masks", "JSON number"),
                new Case(classifier, "rise", Map.of("p", "0.5"), "parameters.p", "JSON number"),
                new Case(classifier, "gradcam", Map.of("metrics", "true"), "parameters.metrics", "JSON boolean"),
                // A layer the registry lists no operation for.
                new Case(layered, "gradcam", Map.of("targetLayer", "no_such_layer"), "parameters.targetLayer",
                        "must name an operation of model"),
                new Case(layered, "gradcam", Map.of("targetLayer", "conv9:0"), "parameters.targetLayer", "conv9:0"));
        Map<String, Long> before = TestData.settledEndOffsets(probe);

        List<String> failures = new ArrayList<>();
        for (Case c : cases) {
            String key = "refused-" + UUID.randomUUID();
            Response response = Tokens.as(tenant).contentType(ContentType.JSON).header(IdempotencyKeys.HEADER, key)
                    .body(run(c.model(), c.method(), c.parameters())).post("/api/runs");
            String name = c.field().substring("parameters.".length());
            String what = c.method() + " " + c.parameters() + ": ";
            if (response.statusCode() != 400 || !response.contentType().startsWith("application/problem+json")) {
                failures.add(what + response.statusCode() + " " + response.asString());
                continue;
            }
            String detail = response.jsonPath().getString("detail");
            if (!"https://lumen.dev/problems/validation".equals(response.jsonPath().getString("type"))
                    || !List.of(c.field()).equals(response.jsonPath().getList("errors.field"))
                    || !detail.contains(name) || !detail.contains(c.allowed())) {
                failures.add(what + response.asString());
            }
            // A refused request leaves its key free for the corrected one.
            if (store.exists(IdempotencyStore.objectKey(tenant, key))) {
                failures.add(what + "the Idempotency-Key was recorded");
            }
        }

        assertThat(failures).as("requests not refused as expected").isEmpty();
        assertThat(TestData.settledEndOffsets(probe)).as("end offsets of every topic").isEqualTo(before);
    }

    @Test
    void goodParametersAreAcceptedAndReachTheTasksAsGiven() {
        Map<String, Object> parameters = Map.of("class", "dog", "metricSteps", 8, "targetLayer", "conv2");
        String runId = Tokens.as(tenant).contentType(ContentType.JSON).body(run(classifier, "gradcam", parameters))
                .post("/api/runs").then().statusCode(202).extract().path("runId");
        Tokens.as(tenant).contentType(ContentType.JSON).body(run(classifier, "rise", Map.of("class", 1, "masks", 500)))
                .post("/api/runs").then().statusCode(202);
        Tokens.as(tenant).contentType(ContentType.JSON).body(run(detector, "drise", Map.of("masks", 1000, "grid", 16)))
                .post("/api/runs").then().statusCode(202);
        Tokens.as(tenant).contentType(ContentType.JSON).body(run(layered, "gradcam", Map.of("targetLayer", "relu4:0")))
                .post("/api/runs").then().statusCode(202);

        assertThat(tasksOf(runId)).extracting(ImageTask::parameters).containsOnly(parameters);
    }

    @Test
    void aRequestPublishedByAnotherServiceWithABadParameterIsDeadLettered() {
        String key = "run-ext-" + UUID.randomUUID();
        RunRequested bad = new RunRequested(key, tenant, "bad", "drise", new ModelRef(detector), new DatasetRef(dataset),
                2, 1L, null, Map.of("masks", -3));
        probe.publish(Topics.RUN_REQUESTS, key, codec.encode(CloudEvent.of("/x", EventTypes.RUN_REQUESTED, key, bad)));
        // Same key, same partition: once this one is planned, the bad one before it was handled.
        String after = key + "-after";
        RunRequested good = new RunRequested(after, tenant, "good", "drise", new ModelRef(detector),
                new DatasetRef(dataset), 2, 1L, null, Map.of("masks", 3));
        probe.publish(Topics.RUN_REQUESTS, key, codec.encode(CloudEvent.of("/x", EventTypes.RUN_REQUESTED, after, good)));

        assertThat(tasksOf(after)).hasSize(2);
        List<DeadLetter> letters = probe.awaitRecords(Topics.DEAD_LETTERS, records -> !letters(records, key).isEmpty(),
                Duration.ofSeconds(30)).stream().map(this::letter).filter(l -> key.equals(l.key())).toList();
        assertThat(letters).singleElement().satisfies(letter -> {
            assertThat(letter.topic()).isEqualTo(Topics.RUN_REQUESTS);
            assertThat(letter.reason()).contains("parameters.masks", "1..100000");
        });
        assertThat(probe.readAll(Topics.IMAGE_TASKS)).noneMatch(r -> r.key().startsWith(key + "/"));
    }

    private Map<String, Object> run(String model, String method, Map<String, Object> parameters) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("name", "parameters");
        body.put("model", model);
        body.put("dataset", dataset);
        body.put("method", method);
        body.put("imageCount", 2);
        body.put("parameters", parameters);
        return body;
    }

    private List<ImageTask> tasksOf(String runId) {
        return probe.awaitRecords(Topics.IMAGE_TASKS,
                        all -> all.stream().filter(r -> r.key().startsWith(runId + "/")).count() >= 2, Duration.ofSeconds(30))
                .stream().filter(r -> r.key().startsWith(runId + "/"))
                .map(r -> codec.decode(r.value(), EventTypes.IMAGE_TASK, ImageTask.class).data()).toList();
    }

    private List<DeadLetter> letters(List<ConsumerRecord<String, byte[]>> records, String key) {
        return records.stream().map(this::letter).filter(l -> key.equals(l.key())).toList();
    }

    private DeadLetter letter(ConsumerRecord<String, byte[]> record) {
        return codec.decode(record.value(), EventTypes.DEAD_LETTER, DeadLetter.class).data();
    }
}
