package dev.lumen.runs.rest;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.lumen.contracts.DatasetRef;
import dev.lumen.contracts.EventCodec;
import dev.lumen.contracts.EventTypes;
import dev.lumen.contracts.ImageTask;
import dev.lumen.contracts.ModelRef;
import dev.lumen.contracts.RunCancelled;
import dev.lumen.contracts.RunRequested;
import dev.lumen.contracts.RunState;
import dev.lumen.contracts.Topics;
import dev.lumen.runs.storage.IdempotencyStore;
import dev.lumen.runs.testing.TestData;
import dev.lumen.testing.PrometheusText;
import dev.lumen.testing.Tokens;
import dev.lumen.service.storage.ObjectStore;
import dev.lumen.testing.LumenStackResource;
import dev.lumen.testing.TopicProbe;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.response.ExtractableResponse;
import io.restassured.response.Response;
import jakarta.inject.Inject;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasSize;
import static org.hamcrest.Matchers.notNullValue;
import static org.hamcrest.Matchers.startsWith;

/**
 * The whole life of runs over REST, against the real broker and S3 server: create, list, filter,
 * page, show, cancel, delete, seeds, Idempotency-Key and tenant isolation. results-service is not
 * running here: the tests publish the progress it would publish.
 */
@QuarkusTest
@QuarkusTestResource(value = LumenStackResource.class, restrictToAnnotatedClass = false)
class RunLifecycleTest {

    @Inject
    ObjectStore store;

    @Inject
    EventCodec codec;

    @Inject
    IdempotencyStore idempotencyStore;

    @Inject
    ObjectMapper mapper;

    @ConfigProperty(name = "kafka.bootstrap.servers")
    String bootstrap;

    private TopicProbe probe;
    private String tenant;
    private String model;
    private String detector;
    private String dataset;

    @BeforeEach
    void seed() {
        probe = new TopicProbe(bootstrap);
        tenant = TestData.tenant();
        model = "cls-" + tenant;
        detector = "det-" + tenant;
        TestData.model(store, model, "classification", tenant);
        TestData.model(store, detector, "detection", tenant);
        dataset = TestData.dataset(tenant, "six", 6);
    }

    @Test
    void runsAreListedFilteredPagedAndShown() {
        String first = create(run("first", model, "gradcam", 3, 5L));
        String second = create(run("second", model, "gradcam", 2, null));
        String third = create(run("third", detector, "drise", 4, 9L));

        Tokens.as(tenant).when().get("/api/runs")
                .then().statusCode(200)
                .body("total", equalTo(3))
                .body("items.runId", contains(third, second, first));
        Tokens.as(tenant).queryParam("model", model).when().get("/api/runs")
                .then().statusCode(200).body("total", equalTo(2)).body("items.runId", contains(second, first));
        Tokens.as(tenant).queryParam("dataset", dataset).queryParam("size", 1).queryParam("page", 1).when().get("/api/runs")
                .then().statusCode(200)
                .body("total", equalTo(3)).body("totalPages", equalTo(3)).body("page", equalTo(1)).body("size", equalTo(1))
                .body("items.runId", contains(second));
        Tokens.as(tenant).queryParam("state", "RUNNING").when().get("/api/runs")
                .then().statusCode(200).body("total", equalTo(0));

        // results-service reports progress; run-service folds it into its view.
        TestData.progress(probe, codec, first, tenant, RunState.RUNNING, 3, 1, 0, 0, 4L);
        await(() -> "RUNNING".equals(Tokens.as(tenant).when().get("/api/runs/" + first).then().extract().path("state")));

        Tokens.as(tenant).when().get("/api/runs/" + first)
                .then().statusCode(200)
                .body("name", equalTo("first")).body("method", equalTo("gradcam"))
                .body("model", equalTo(model)).body("dataset", equalTo(dataset))
                .body("imageCount", equalTo(3)).body("seed", equalTo(5))
                .body("parameters.metricSteps", equalTo(2))
                .body("counts.total", equalTo(3)).body("counts.explained", equalTo(1)).body("counts.done", equalTo(1))
                .body("etaSeconds", equalTo(4)).body("requestedAt", notNullValue());
        Tokens.as(tenant).queryParam("state", "running,queued").when().get("/api/runs")
                .then().statusCode(200).body("total", equalTo(3));
        Tokens.as(tenant).queryParam("state", "RUNNING").when().get("/api/runs")
                .then().statusCode(200).body("items.runId", contains(first));
        // A run without a seed shows the one that was chosen for it.
        Tokens.as(tenant).when().get("/api/runs/" + second).then().statusCode(200).body("seed", notNullValue());
    }

    @Test
    void aSeedReproducesTheSampleAndRunsWithoutOneDiffer() {
        PrometheusText before = PrometheusText.scrape();
        String a = create(run("a", model, "gradcam", 3, 11L));
        String b = create(run("b", model, "gradcam", 3, 11L));
        assertThat(imageIds(tasksOf(a, 3))).isEqualTo(imageIds(tasksOf(b, 3)));

        Set<Long> seeds = new HashSet<>();
        Set<Set<String>> samples = new HashSet<>();
        for (int i = 0; i < 4; i++) {
            ExtractableResponse<Response> accepted = post(run("unseeded-" + i, model, "gradcam", 3, null), null)
                    .then().statusCode(202).extract();
            seeds.add(((Number) accepted.path("seed")).longValue());
            samples.add(imageIds(tasksOf(accepted.path("runId"), 3)));
        }
        assertThat(seeds).hasSize(4);
        assertThat(samples).hasSizeGreaterThan(1);

        // Six runs of three images planned; the view knows six more runs (the gauge sums every state).
        PrometheusText after = PrometheusText.awaitScrape(m ->
                m.sum("lumen_runs_planned_images_total") - before.sum("lumen_runs_planned_images_total") >= 18
                        && m.sum("lumen_runs") - before.sum("lumen_runs") >= 6);
        assertThat(after.sum("lumen_runs_planned_total") - before.sum("lumen_runs_planned_total")).isEqualTo(6);
        assertThat(after.sum("lumen_runs_planned_images_total") - before.sum("lumen_runs_planned_images_total"))
                .isEqualTo(18);
        assertThat(after.sum("lumen_runs") - before.sum("lumen_runs")).isEqualTo(6);
        assertThat(after.names()).contains("lumen_runs_rejected_total")
                .anyMatch(name -> name.startsWith("kafka_consumer_fetch_manager_records_lag"));
    }

    @Test
    void methodThatDoesNotFitTheModelIs422AndPublishesNothing() {
        long before = probe.endOffsetSum(Topics.RUN_REQUESTS);
        post(run("x", model, "drise", 2, null), null).then().statusCode(422)
                .contentType(startsWith("application/problem+json"))
                .body("type", equalTo("https://lumen.dev/problems/method-not-allowed"));
        post(run("x", detector, "rise", 2, null), null).then().statusCode(422)
                .body("type", equalTo("https://lumen.dev/problems/method-not-allowed"));
        assertThat(probe.endOffsetSum(Topics.RUN_REQUESTS)).isEqualTo(before);
    }

    @Test
    void cancelReachesWorkersAndResultsThenDeleteRemovesEverything() {
        String runId = create(run("to cancel", model, "gradcam", 3, 1L));
        Tokens.as(tenant).when().delete("/api/runs/" + runId)
                .then().statusCode(409).contentType(startsWith("application/problem+json"))
                .body("type", equalTo("https://lumen.dev/problems/run-active"));

        Tokens.as(tenant).contentType(ContentType.JSON).body(Map.of("reason", "wrong layer"))
                .when().post("/api/runs/" + runId + "/cancel")
                .then().statusCode(202).body("state", equalTo("CANCELLED")).body("cancelledAt", notNullValue());
        // Workers check the marker before each task; results-service and the other views get the event.
        assertThat(store.exists(RunCancelled.markerKey(runId))).isTrue();
        awaitEvents(runId, EventTypes.RUN_CANCELLED, 1);
        RunCancelled cancelled = codec.decode(events(runId, EventTypes.RUN_CANCELLED).get(0).value(),
                EventTypes.RUN_CANCELLED, RunCancelled.class).data();
        assertThat(cancelled).isEqualTo(new RunCancelled(runId, tenant, "wrong layer"));
        // Cancelling again changes nothing and sends nothing.
        Tokens.as(tenant).when().post("/api/runs/" + runId + "/cancel").then().statusCode(202).body("state", equalTo("CANCELLED"));
        assertThat(events(runId, EventTypes.RUN_CANCELLED)).hasSize(1);

        // results-service confirms: every image skipped ("run cancelled"), state CANCELLED.
        TestData.progress(probe, codec, runId, tenant, RunState.CANCELLED, 3, 0, 3, 0, null);
        await(() -> Integer.valueOf(3).equals(Tokens.as(tenant).when().get("/api/runs/" + runId).then().extract().path("counts.skipped")));
        store.put("runs/" + runId + "/run.json", "{}".getBytes(StandardCharsets.UTF_8), "application/json");
        store.put("runs/" + runId + "/images/img-1.png/result.json", "{}".getBytes(StandardCharsets.UTF_8), "application/json");

        Tokens.as(tenant).when().delete("/api/runs/" + runId).then().statusCode(204);

        // Results gone; only the marker stays, so that tasks still queued keep being skipped.
        assertThat(store.list("runs/" + runId + "/")).containsExactly(RunCancelled.markerKey(runId));
        Tokens.as(tenant).when().get("/api/runs/" + runId).then().statusCode(404)
                .contentType(startsWith("application/problem+json"));
        Tokens.as(tenant).when().get("/api/runs").then().body("items.runId", org.hamcrest.Matchers.not(org.hamcrest.Matchers.hasItem(runId)));
        awaitEvents(runId, EventTypes.RUN_DELETED, 1);
        awaitLastProgressIsTombstone(runId);

        // A late snapshot from results-service does not bring the run back, and is buried again.
        TestData.progress(probe, codec, runId, tenant, RunState.CANCELLED, 3, 0, 3, 0, null);
        awaitLastProgressIsTombstone(runId);
        Tokens.as(tenant).when().get("/api/runs/" + runId).then().statusCode(404);
    }

    @Test
    void aFinishedRunCannotBeCancelledButCanBeDeleted() {
        String runId = create(run("done", model, "gradcam", 2, 3L));
        TestData.progress(probe, codec, runId, tenant, RunState.COMPLETED, 2, 2, 0, 0, null);
        await(() -> "COMPLETED".equals(Tokens.as(tenant).when().get("/api/runs/" + runId).then().extract().path("state")));

        Tokens.as(tenant).when().post("/api/runs/" + runId + "/cancel")
                .then().statusCode(409).body("type", equalTo("https://lumen.dev/problems/run-finished"));
        assertThat(store.exists(RunCancelled.markerKey(runId))).isFalse();
        Tokens.as(tenant).when().delete("/api/runs/" + runId).then().statusCode(204);
        Tokens.as(tenant).when().delete("/api/runs/" + runId).then().statusCode(404);
    }

    @Test
    void anotherTenantsRunsModelsAndDatasetsAnswer404() {
        String runId = create(run("mine", model, "gradcam", 2, null));
        String other = TestData.tenant();

        Tokens.as(other).when().get("/api/runs/" + runId).then().statusCode(404)
                .contentType(startsWith("application/problem+json"))
                .body("type", equalTo("https://lumen.dev/problems/run-not-found"));
        Tokens.as(other).when().post("/api/runs/" + runId + "/cancel").then().statusCode(404);
        Tokens.as(other).when().delete("/api/runs/" + runId).then().statusCode(404);
        Tokens.as(other).when().get("/api/runs").then().statusCode(200).body("total", equalTo(0));
        Tokens.as(other).when().get("/api/datasets/" + dataset).then().statusCode(404);
        Tokens.as(other).contentType(ContentType.JSON).body(run("theirs", model, "gradcam", 2, null))
                .when().post("/api/runs").then().statusCode(404)
                .body("type", equalTo("https://lumen.dev/problems/model-not-found"));
        String ownModel = "cls-" + other;
        TestData.model(store, ownModel, "classification", other);
        Tokens.as(other).contentType(ContentType.JSON).body(run("theirs", ownModel, "gradcam", 2, null))
                .when().post("/api/runs").then().statusCode(404)
                .body("type", equalTo("https://lumen.dev/problems/dataset-not-found"));
        // The owner still sees it, untouched.
        Tokens.as(tenant).when().get("/api/runs/" + runId).then().statusCode(200).body("state", equalTo("QUEUED"));
    }

    @Test
    void aRetriedPostWithTheSameIdempotencyKeyAnswersTheSameRun() {
        Map<String, Object> body = run("once", model, "gradcam", 2, 7L);
        String key = "create-once-" + tenant;

        String runId = post(body, key).then().statusCode(202).extract().path("runId");
        post(body, key).then().statusCode(202)
                .header(IdempotencyKeys.REPLAYED, "true")
                .body("runId", equalTo(runId));
        awaitEvents(runId, EventTypes.RUN_REQUESTED, 1);
        assertThat(tasksOf(runId, 2)).hasSize(2);
        assertThat(events(runId, EventTypes.RUN_REQUESTED)).hasSize(1);

        // The same key for another request is refused; another tenant's key space is its own.
        post(run("other", model, "gradcam", 1, 7L), key).then().statusCode(422)
                .contentType(startsWith("application/problem+json"))
                .body("type", equalTo("https://lumen.dev/problems/idempotency-key-reused"));
        post(body, "bad key with spaces").then().statusCode(400).body("errors.field", contains(IdempotencyKeys.HEADER));
        assertThat(store.exists(IdempotencyStore.objectKey(tenant, key))).isTrue();
    }

    /**
     * The crash window: the key was recorded (with the run it creates) but the process died before the
     * request reached the broker. The client's retry finds the record and publishes the same run.
     */
    @Test
    void aRetryAfterACrashBetweenRecordingTheKeyAndPublishingPublishesTheRunOnce() throws Exception {
        Map<String, Object> body = run("interrupted", model, "gradcam", 2, 21L);
        CreateRunRequest parsed = mapper.convertValue(body, CreateRunRequest.class);
        String key = "interrupted-" + tenant;
        String runId = "run-interrupted-" + tenant;
        RunRequested request = new RunRequested(runId, tenant, "interrupted", "gradcam", new ModelRef(model),
                new DatasetRef(dataset), 2, 21L, null, Map.of("metricSteps", 2));
        RunAccepted answer = new RunAccepted(runId, "QUEUED", 21L, 2, List.of(), Map.of());
        idempotencyStore.save(tenant, key, new IdempotencyStore.Entry("run",
                IdempotencyStore.sha256(mapper.writeValueAsBytes(parsed)), IdempotencyStore.State.PENDING, runId, request,
                mapper.valueToTree(answer), Instant.now()));
        assertThat(events(runId, EventTypes.RUN_REQUESTED)).isEmpty();

        post(body, key).then().statusCode(202).body("runId", equalTo(runId));
        post(body, key).then().statusCode(202).body("runId", equalTo(runId));

        awaitEvents(runId, EventTypes.RUN_REQUESTED, 1);
        assertThat(tasksOf(runId, 2)).hasSize(2);
        assertThat(events(runId, EventTypes.RUN_REQUESTED)).hasSize(1);
        assertThat(idempotencyStore.find(tenant, key).orElseThrow().state()).isEqualTo(IdempotencyStore.State.DONE);
        Tokens.as(tenant).when().get("/api/runs/" + runId).then().statusCode(200).body("seed", equalTo(21));
    }

    private Map<String, Object> run(String name, String modelId, String method, int images, Long seed) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("name", name);
        body.put("model", modelId);
        body.put("dataset", dataset);
        body.put("method", method);
        body.put("imageCount", images);
        if (seed != null) {
            body.put("seed", seed);
        }
        body.put("parameters", Map.of("metricSteps", 2));
        return body;
    }

    private Response post(Map<String, Object> body, String idempotencyKey) {
        var request = Tokens.as(tenant).contentType(ContentType.JSON).body(body);
        if (idempotencyKey != null) {
            request = request.header(IdempotencyKeys.HEADER, idempotencyKey);
        }
        return request.when().post("/api/runs");
    }

    private String create(Map<String, Object> body) {
        return post(body, null).then().statusCode(202).extract().path("runId");
    }

    private List<ConsumerRecord<String, byte[]>> events(String runId, String type) {
        return probe.readAll(Topics.RUN_REQUESTS).stream()
                .filter(r -> runId.equals(r.key()) && codec.typeOf(r.value()).filter(type::equals).isPresent())
                .toList();
    }

    private void awaitEvents(String runId, String type, int count) {
        await(() -> events(runId, type).size() >= count);
    }

    private void awaitLastProgressIsTombstone(String runId) {
        probe.awaitRecords(Topics.RUN_PROGRESS, records -> {
            ConsumerRecord<String, byte[]> last = null;
            for (ConsumerRecord<String, byte[]> record : records) {
                if (runId.equals(record.key())) {
                    last = record;
                }
            }
            return last != null && last.value() == null;
        }, Duration.ofSeconds(30));
    }

    private List<ImageTask> tasksOf(String runId, int expected) {
        List<ConsumerRecord<String, byte[]>> records = probe.awaitRecords(Topics.IMAGE_TASKS,
                all -> all.stream().filter(r -> r.key().startsWith(runId + "/")).count() >= expected, Duration.ofSeconds(30));
        List<ImageTask> tasks = records.stream().filter(r -> r.key().startsWith(runId + "/"))
                .map(r -> codec.decode(r.value(), EventTypes.IMAGE_TASK, ImageTask.class).data()).toList();
        assertThat(tasks).hasSize(expected);
        return tasks;
    }

    private static Set<String> imageIds(List<ImageTask> tasks) {
        return tasks.stream().map(ImageTask::imageId).collect(Collectors.toSet());
    }

    private static void await(Callable<Boolean> condition) {
        Instant deadline = Instant.now().plusSeconds(30);
        try {
            while (!Boolean.TRUE.equals(condition.call())) {
                if (Instant.now().isAfter(deadline)) {
                    throw new AssertionError("condition not met within 30 s");
                }
                Thread.sleep(200);
            }
        } catch (AssertionError e) {
            throw e;
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }
}
