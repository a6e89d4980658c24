package dev.lumen.runs.messaging;

import dev.lumen.contracts.CloudEvent;
import dev.lumen.contracts.DatasetRef;
import dev.lumen.contracts.DeadLetter;
import dev.lumen.contracts.EventCodec;
import dev.lumen.contracts.EventTypes;
import dev.lumen.contracts.ImageTask;
import dev.lumen.contracts.ModelRef;
import dev.lumen.contracts.RunCancelled;
import dev.lumen.contracts.RunRequested;
import dev.lumen.contracts.Topics;
import dev.lumen.runs.domain.ImageSampler;
import dev.lumen.runs.testing.TestData;
import dev.lumen.testing.Tokens;
import dev.lumen.service.storage.ObjectStore;
import dev.lumen.testing.LumenStackResource;
import dev.lumen.testing.TopicProbe;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import jakarta.inject.Inject;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import dev.lumen.runs.domain.Dataset;
import dev.lumen.runs.storage.DatasetCatalog;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;

/**
 * Run requests published straight to {@code lumen.run-requests} by other platform services (plain
 * CloudEvents, no REST): planned exactly as REST requests are; malformed ones become dead letters and
 * neither stop the planner nor hold up the requests behind them.
 */
@QuarkusTest
@QuarkusTestResource(value = LumenStackResource.class, restrictToAnnotatedClass = false)
class ExternalRunRequestTest {

    @Inject
    ObjectStore store;

    @Inject
    EventCodec codec;

    @Inject
    DatasetCatalog datasets;

    @ConfigProperty(name = "kafka.bootstrap.servers")
    String bootstrap;

    private TopicProbe probe;
    private String tenant;
    private String model;
    private String dataset;

    @BeforeEach
    void seed() {
        probe = new TopicProbe(bootstrap);
        tenant = TestData.tenant();
        model = "cls-" + tenant;
        TestData.model(store, model, "classification", tenant);
        dataset = TestData.dataset(tenant, "seven", 7);
    }

    @Test
    void anExternalCloudEventIsPlannedExactlyAsARestRequest() {
        String restRun = Tokens.as(tenant).contentType(ContentType.JSON)
                .body(Map.of("name", "by REST", "model", model, "dataset", dataset, "method", "gradcam",
                        "imageCount", 4, "seed", 77, "parameters", Map.of("targetLayer", "conv2")))
                .when().post("/api/runs").then().statusCode(202).extract().path("runId");
        String externalRun = "run-ext-" + UUID.randomUUID();
        RunRequested external = new RunRequested(externalRun, tenant, "by another service", "gradcam",
                new ModelRef(model), new DatasetRef(dataset), 4, 77L, null, Map.of("targetLayer", "conv2"));
        probe.publish(Topics.RUN_REQUESTS, externalRun,
                codec.encode(CloudEvent.of("/platform/scheduler", EventTypes.RUN_REQUESTED, externalRun, external)));

        List<ImageTask> byRest = sorted(tasksOf(restRun, 4));
        List<ImageTask> byEvent = sorted(tasksOf(externalRun, 4));
        for (int i = 0; i < 4; i++) {
            ImageTask a = byRest.get(i);
            ImageTask b = byEvent.get(i);
            assertThat(b.imageId()).isEqualTo(a.imageId());
            assertThat(b.imageKey()).isEqualTo(a.imageKey());
            assertThat(b.imageIndex()).isEqualTo(a.imageIndex());
            assertThat(b.imageTotal()).isEqualTo(a.imageTotal());
            assertThat(b.seed()).isEqualTo(a.seed());
            assertThat(b.tenant()).isEqualTo(tenant);
            assertThat(b.parameters()).isEqualTo(a.parameters());
        }
        // The run-service view knows it too, for its tenant only.
        awaitVisible(externalRun);
        Tokens.as(tenant).when().get("/api/runs/" + externalRun).then().statusCode(200)
                .body("name", equalTo("by another service")).body("seed", equalTo(77)).body("state", equalTo("QUEUED"));
        Tokens.as(TestData.tenant()).when().get("/api/runs/" + externalRun).then().statusCode(404);
    }

    @Test
    void anExternalRequestWithoutSeedGetsOneDerivedFromItsRunId() {
        String runId = "run-ext-noseed-" + UUID.randomUUID();
        RunRequested external = new RunRequested(runId, tenant, null, "gradcam", new ModelRef(model),
                new DatasetRef(dataset), 3, null, null, null);
        probe.publish(Topics.RUN_REQUESTS, runId, codec.encode(CloudEvent.of("/platform/x", EventTypes.RUN_REQUESTED, runId, external)));

        List<ImageTask> tasks = tasksOf(runId, 3);
        long seed = ImageSampler.seedFromRunId(runId);
        assertThat(tasks).allSatisfy(task -> assertThat(task.seed()).isEqualTo(ImageSampler.imageSeed(seed, task.imageId())));
        awaitVisible(runId);
        Tokens.as(tenant).when().get("/api/runs/" + runId).then().statusCode(200).body("seed", equalTo(seed));
    }

    @Test
    void malformedRequestsAreDeadLetteredAndTheRequestBehindThemIsStillPlanned() {
        // One key, hence one partition: the valid request queues behind every bad one.
        String key = "run-ext-" + UUID.randomUUID();
        List<byte[]> poison = List.of(
                new byte[]{0, 1, 2, (byte) 0xff},
                "{ not json".getBytes(StandardCharsets.UTF_8),
                "{\"specversion\":\"1.0\",\"type\":\"nonsense\"}".getBytes(StandardCharsets.UTF_8),
                codec.mapper().createObjectNode().put("specversion", "1.0").put("id", "x").put("source", "/x")
                        .put("type", EventTypes.RUN_REQUESTED).put("subject", key).put("time", "2026-01-01T00:00:00Z")
                        .set("data", codec.mapper().createObjectNode().put("runId", key).put("imageCount", 0))
                        .toString().getBytes(StandardCharsets.UTF_8),
                codec.encode(CloudEvent.of("/x", EventTypes.RUN_REQUESTED, key, new RunRequested(key, tenant, null, "gradcam",
                        new ModelRef("no-such-model"), new DatasetRef(dataset), 2, 1L, null, null))),
                codec.encode(CloudEvent.of("/x", EventTypes.RUN_REQUESTED, key, new RunRequested(key, "someone-else", null,
                        "gradcam", new ModelRef(model), new DatasetRef(dataset), 2, 1L, null, null))));
        for (byte[] value : poison) {
            probe.publish(Topics.RUN_REQUESTS, key, value);
        }
        // A cancellation is not a request, but it is not poison either.
        probe.publish(Topics.RUN_REQUESTS, key, codec.encode(CloudEvent.of("/x", EventTypes.RUN_CANCELLED, key,
                new RunCancelled(key, tenant, null))));
        RunRequested valid = new RunRequested(key, tenant, "after the poison", "gradcam", new ModelRef(model),
                new DatasetRef(dataset), 2, 5L, null, null);
        probe.publish(Topics.RUN_REQUESTS, key, codec.encode(CloudEvent.of("/x", EventTypes.RUN_REQUESTED, key, valid)));

        assertThat(tasksOf(key, 2)).hasSize(2);
        List<DeadLetter> letters = probe.awaitRecords(Topics.DEAD_LETTERS,
                        records -> lettersFor(records, key).size() >= poison.size(), Duration.ofSeconds(30))
                .stream().map(r -> codec.decode(r.value(), EventTypes.DEAD_LETTER, DeadLetter.class).data())
                .filter(letter -> key.equals(letter.key())).toList();
        assertThat(letters).hasSize(poison.size());
        assertThat(letters).extracting(DeadLetter::topic).containsOnly(Topics.RUN_REQUESTS);
        assertThat(letters).extracting(DeadLetter::offset).doesNotHaveDuplicates();
        assertThat(letters).extracting(DeadLetter::reason).anyMatch(r -> r.contains("not JSON"))
                .anyMatch(r -> r.contains("$.data.imageCount"))
                .anyMatch(r -> r.contains("model 'no-such-model' does not exist"));
        // Another tenant's request for this tenant's model is refused as if the model did not exist.
        assertThat(letters).extracting(DeadLetter::reason).filteredOn(r -> r.contains("does not exist")).hasSize(2);
    }

    private List<DeadLetter> lettersFor(List<ConsumerRecord<String, byte[]>> records, String key) {
        return records.stream().filter(r -> key.equals(r.key()))
                .map(r -> codec.decode(r.value(), EventTypes.DEAD_LETTER, DeadLetter.class).data()).toList();
    }

    private void awaitVisible(String runId) {
        long deadline = System.currentTimeMillis() + 30_000;
        while (Tokens.as(tenant).when().get("/api/runs/" + runId).statusCode() != 200) {
            assertThat(System.currentTimeMillis()).as("run " + runId + " visible in time").isLessThan(deadline);
            try {
                Thread.sleep(200);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError(e);
            }
        }
    }

    /**
     * A run of more tasks than the Kafka sink keeps in flight (1,024, plus the emitter's buffer of 128) is
     * planned in full: every task once, in the one transaction (10,000 stood still before, decision 0083).
     */
    @Test
    void aRunOfMoreTasksThanTheSinkKeepsInFlightIsPlannedInFull() throws Exception {
        int images = 10_000;
        String big = "big-" + tenant;
        String prefix = DatasetCatalog.imagesPrefix(big);
        byte[] png = TestData.image("png", 8, 8);
        ExecutorService uploads = Executors.newFixedThreadPool(8);
        try {
            List<Future<?>> puts = new ArrayList<>();
            for (int i = 0; i < images; i++) {
                String key = prefix + String.format("%05d.png", i);
                puts.add(uploads.submit(() -> store.put(key, png, "image/png")));
            }
            for (Future<?> put : puts) {
                put.get();
            }
        } finally {
            uploads.shutdown();
        }
        datasets.save(new Dataset(big, big, tenant, "test", prefix, images, 0, 0, false, Instant.now(), List.of(), Map.of()));
        String runId = "run-big-" + UUID.randomUUID();
        RunRequested request = new RunRequested(runId, tenant, "all of them", "gradcam", new ModelRef(model),
                new DatasetRef(big), images, 5L, null, null);

        probe.publish(Topics.RUN_REQUESTS, runId,
                codec.encode(CloudEvent.of("/platform/scheduler", EventTypes.RUN_REQUESTED, runId, request)));

        List<ImageTask> tasks = tasksOf(runId, images);
        assertThat(tasks).hasSize(images);
        assertThat(tasks).extracting(ImageTask::imageId).doesNotHaveDuplicates();
    }

    private List<ImageTask> tasksOf(String runId, int expected) {
        List<ConsumerRecord<String, byte[]>> records = probe.awaitRecords(Topics.IMAGE_TASKS,
                all -> all.stream().filter(r -> r.key().startsWith(runId + "/")).count() >= expected, Duration.ofSeconds(60));
        return records.stream().filter(r -> r.key().startsWith(runId + "/"))
                .map(r -> codec.decode(r.value(), EventTypes.IMAGE_TASK, ImageTask.class).data()).toList();
    }

    private static List<ImageTask> sorted(List<ImageTask> tasks) {
        return tasks.stream().sorted(Comparator.comparingInt(ImageTask::imageIndex)).toList();
    }
}
