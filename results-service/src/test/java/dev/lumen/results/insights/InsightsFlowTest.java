package dev.lumen.results.insights;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.lumen.contracts.EventCodec;
import dev.lumen.contracts.Evaluation;
import dev.lumen.contracts.ImageResult;
import dev.lumen.contracts.MissedObject;
import dev.lumen.contracts.PredictionMatch;
import dev.lumen.results.TestRuns;
import dev.lumen.service.storage.ObjectStore;
import dev.lumen.testing.LumenStackResource;
import dev.lumen.testing.Tokens;
import dev.lumen.testing.TopicProbe;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.zip.ZipEntry;
import java.util.zip.ZipInputStream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;
import static org.hamcrest.Matchers.containsString;

/**
 * Insights through the service: results arrive over the real broker, insights update while the run is
 * in progress and, once it completes, equal a recomputation from the stored records; the comparison and
 * export endpoints and the insights page are served.
 */
@QuarkusTest
@QuarkusTestResource(value = LumenStackResource.class, restrictToAnnotatedClass = false)
class InsightsFlowTest {

    @Inject
    ObjectStore store;

    @Inject
    EventCodec codec;

    @Inject
    RunInsights insights;

    @Inject
    ObjectMapper mapper;

    @ConfigProperty(name = "kafka.bootstrap.servers")
    String bootstrap;

    @Test
    void insightsUpdateDuringTheRunAndEqualARecomputationAtTheEnd() throws Exception {
        TestRuns run = new TestRuns(codec, new TopicProbe(bootstrap), store, 4).requested().awaitRecorded();
        // Ground truth for a, b and c (the red square of TestRuns' photo); none for d.
        String coco = """
                {"images":[{"id":1,"file_name":"a.png"},{"id":2,"file_name":"b.png"},{"id":3,"file_name":"c.png"}],
                 "annotations":[{"id":1,"image_id":1,"category_id":7,"bbox":[50,30,20,20]},
                                {"id":2,"image_id":2,"category_id":7,"bbox":[50,30,20,20]},
                                {"id":3,"image_id":3,"category_id":7,"bbox":[0,0,20,20]}],
                 "categories":[{"id":7,"name":"cat"}]}""";
        store.put("datasets/" + run.datasetId + "/ground-truth.json", coco.getBytes(StandardCharsets.UTF_8), "application/json");

        // Evaluations against the ground truth: a's cat is correct; c's cat is wrong (a dog, missed).
        run.publish(run.explained("a.png", TestRuns.cls("cat", 0.9)).toBuilder()
                .evaluation(new Evaluation(List.of(new PredictionMatch(0, "correct", null, null)), List.of())).build());
        run.publish(run.explained("b.png", TestRuns.cls("cat", 0.7)));
        run.awaitProgress(p -> p.done() == 2, Duration.ofSeconds(30));

        InsightsView partial = get(run.runId, false);
        assertThat(partial.complete()).isFalse();
        assertThat(partial.processed()).isEqualTo(2);
        assertThat(partial.reference()).isEqualTo("ground-truth");
        assertThat(partial.classes()).singleElement().satisfies(c -> {
            assertThat(c.explained()).isEqualTo(2);
            assertThat(c.inBoxEnergy()).isGreaterThan(0.9);
            // The 20x20 box of a 120x80 image: chance level 400 / 9600; the maps sit on it.
            assertThat(c.boxShare()).isCloseTo(400.0 / 9600, within(1e-6));
            assertThat(c.lift()).isGreaterThan(20);
            assertThat(c.contextReliance()).isLessThan(0.1);
        });
        assertThat(partial.images()).isNull();
        assertThat(store.exists(RunInsights.key(run.runId))).isTrue();

        ImageResult wrong = run.explained("c.png", TestRuns.cls("cat", 0.5)).toBuilder().evaluation(new Evaluation(
                List.of(new PredictionMatch(0, "wrong", "dog", null)), List.of(new MissedObject("dog", 1, null)))).build();
        run.publish(wrong);
        run.publish(run.explained("d.png", TestRuns.detection("dog", 0.8, 48, 28, 72, 52)));
        run.publish(wrong); // a redelivery
        run.awaitProgress(p -> p.state().terminal(), Duration.ofSeconds(30));

        InsightsView last = get(run.runId, true);
        assertThat(last.complete()).isTrue();
        assertThat(last.processed()).isEqualTo(4);
        assertThat(last.contextReliance()).containsExactly("cat", "dog");
        assertThat(last.lookingAway().get(0).imageId()).isEqualTo("c.png");
        assertThat(last.lookingAway().get(0).contextReliance()).isEqualTo(1.0);
        assertThat(last.classes()).allSatisfy(c -> {
            assertThat(c.boxShare()).isNotNull();
            assertThat(c.lift()).isNotNull();
            assertThat(c.contextReliance()).isBetween(0.0, 1.0);
        });
        ErrorInsights errors = last.errors();
        assertThat(errors.evaluated()).isEqualTo(2);
        assertThat(errors.types()).containsExactly("correct", "wrong", "missed");
        assertThat(errors.classes()).extracting(ClassErrors::label).containsExactly("cat", "dog");
        assertThat(errors.classes().get(0).counts()).containsEntry("correct", 1).containsEntry("wrong", 1).containsEntry("missed", 0);
        assertThat(errors.classes().get(0).precision()).isEqualTo(0.5);
        assertThat(errors.classes().get(1).counts()).containsEntry("missed", 1).containsEntry("wrong", 0);
        assertThat(errors.classes().get(1).recall()).isEqualTo(0.0);
        assertThat(errors.confusions()).containsExactly(new Confusion("cat", "dog", 1));
        ClassInsights dog = last.classes().stream().filter(c -> c.label().equals("dog")).findFirst().orElseThrow();
        assertThat(dog.reference()).isEqualTo("prediction");
        assertThat(dog.meanBoxMap()).hasSize(InsightsView.BOX_GRID * InsightsView.BOX_GRID);
        // The incremental aggregate (as stored) equals a recomputation from the records; the REST view only
        // swaps the stored overlay paths for presigned URLs.
        assertThat(mapper.writeValueAsString(insights.insights(run.runId).orElseThrow()))
                .isEqualTo(mapper.writeValueAsString(insights.recompute(run.runId)));
        assertThat(last.images()).hasSize(4).allSatisfy(i -> assertThat(i.overlay()).startsWith("http").contains("X-Amz-Signature"));

        // Comparison of a run with itself: every image paired, nothing changed.
        var comparison = Tokens.as(TestRuns.TENANT).queryParam("a", run.runId).queryParam("b", run.runId).get("/api/comparisons")
                .then().statusCode(200).extract().as(ComparisonView.class);
        assertThat(comparison.shared()).isEqualTo(4);
        assertThat(comparison.classes()).allSatisfy(c -> assertThat(c.energyChange()).isZero());
        Tokens.as(TestRuns.TENANT).queryParam("a", run.runId).get("/api/comparisons").then().statusCode(400);
        Tokens.as(TestRuns.TENANT).queryParam("a", run.runId).queryParam("b", "run-nope").get("/api/comparisons").then().statusCode(404);

        byte[] zip = Tokens.as(TestRuns.TENANT).get("/api/runs/" + run.runId + "/export").then().statusCode(200)
                .contentType("application/zip").extract().asByteArray();
        Map<String, byte[]> entries = unzip(zip);
        assertThat(entries).containsKeys("annotations.json", "metrics.csv", "insights.json",
                "images/a.png/saliency-0.png", "images/d.png/overlay-0.png", "images/d.png/heatmap-0.png");
        String csv = new String(entries.get("metrics.csv"), StandardCharsets.UTF_8);
        assertThat(csv.lines().count()).isEqualTo(5);
        assertThat(csv.lines().findFirst().orElseThrow()).contains("in_box_energy,box_share,lift,context_reliance,");
        var annotations = mapper.readTree(entries.get("annotations.json"));
        assertThat(annotations.path("annotations")).hasSize(4);
        assertThat(annotations.path("annotations").get(3).path("saliency").asText()).isEqualTo("images/d.png/saliency-0.png");
        assertThat(annotations.path("annotations").get(3).path("bbox").size()).isEqualTo(4);
        assertThat(annotations.path("annotations").get(2).path("context_reliance").asDouble()).isEqualTo(1.0);
        assertThat(annotations.path("annotations").get(0).path("box_share").asDouble()).isCloseTo(400.0 / 9600,
                within(1e-6));

        // Insights stored before the chance-level measures (no box share) are recomputed when read.
        var stored = (com.fasterxml.jackson.databind.node.ObjectNode) mapper.readTree(store.get(RunInsights.key(run.runId)).orElseThrow());
        stored.withArray("classes").forEach(c -> ((com.fasterxml.jackson.databind.node.ObjectNode) c).remove(List.of("boxShare", "lift")));
        store.put(RunInsights.key(run.runId), mapper.writeValueAsBytes(stored), "application/json");
        assertThat(get(run.runId, false).classes()).allSatisfy(c -> assertThat(c.boxShare()).isNotNull());

        Tokens.as(TestRuns.TENANT).get("/api/runs/run-unknown-" + run.runId.substring(4) + "/insights").then().statusCode(404);
        io.restassured.RestAssured.given().get("/insights.html").then().statusCode(200).body(containsString("id=\"classes\""));
    }

    @Test
    void resultsThatArriveBeforeTheirRunsRequestStillGetTheDatasetsGroundTruth() throws Exception {
        // The request and the results travel on different topics: here every result is stored first.
        TestRuns run = new TestRuns(codec, new TopicProbe(bootstrap), store, 2);
        String coco = """
                {"images":[{"id":1,"file_name":"a.png"},{"id":2,"file_name":"b.png"}],
                 "annotations":[{"id":1,"image_id":1,"category_id":7,"bbox":[50,30,20,20]},
                                {"id":2,"image_id":2,"category_id":7,"bbox":[50,30,20,20]}],
                 "categories":[{"id":7,"name":"cat"}]}""";
        store.put("datasets/" + run.datasetId + "/ground-truth.json", coco.getBytes(StandardCharsets.UTF_8), "application/json");
        run.publish(run.explained("a.png", TestRuns.cls("cat", 0.9)));
        run.publish(run.explained("b.png", TestRuns.cls("cat", 0.8)));
        Instant deadline = Instant.now().plusSeconds(30);
        while (insights.insights(run.runId).map(InsightsView::processed).orElse(0) < 2 && Instant.now().isBefore(deadline)) {
            Thread.sleep(100);
        }
        assertThat(insights.insights(run.runId)).hasValueSatisfying(v -> assertThat(v.reference()).isNotEqualTo("ground-truth"));

        run.requested();
        InsightsView view = null;
        while (Instant.now().isBefore(deadline.plusSeconds(30))) {
            view = insights.insights(run.runId).orElse(null);
            if (view != null && "ground-truth".equals(view.reference())) {
                break;
            }
            Thread.sleep(100);
        }
        assertThat(view).isNotNull();
        assertThat(view.reference()).isEqualTo("ground-truth");
        assertThat(view.complete()).isTrue();
        assertThat(view.classes()).singleElement().satisfies(c -> assertThat(c.inBoxEnergy()).isNotNull());
        assertThat(get(run.runId, false).reference()).isEqualTo("ground-truth");
    }

    private InsightsView get(String runId, boolean images) {
        return Tokens.as(TestRuns.TENANT).queryParam("images", images).get("/api/runs/" + runId + "/insights")
                .then().statusCode(200).extract().as(InsightsView.class);
    }

    private static Map<String, byte[]> unzip(byte[] zip) throws Exception {
        Map<String, byte[]> entries = new HashMap<>();
        try (ZipInputStream in = new ZipInputStream(new ByteArrayInputStream(zip))) {
            ZipEntry entry;
            while ((entry = in.getNextEntry()) != null) {
                entries.put(entry.getName(), in.readAllBytes());
            }
        }
        return entries;
    }
}
