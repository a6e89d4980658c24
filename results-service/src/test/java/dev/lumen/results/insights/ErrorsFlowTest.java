package dev.lumen.results.insights;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.lumen.contracts.EventCodec;
import dev.lumen.contracts.Evaluation;
import dev.lumen.contracts.ImageResult;
import dev.lumen.contracts.MissedObject;
import dev.lumen.contracts.PredictionMatch;
import dev.lumen.contracts.Target;
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

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.StreamSupport;
import java.util.zip.ZipEntry;
import java.util.zip.ZipInputStream;

import static dev.lumen.results.TestRuns.detection;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.entry;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.startsWith;

/**
 * Predictions typed against ground truth (the worker's {@code evaluation} of each image), through the real
 * broker and S3 server: the insights count them per class and error type and equal a recomputation, the
 * results listing filters by error type with the other filters and pages, explanations of targets with a
 * role stay apart from the predictions, and the export carries the counts.
 *
 * <p>The run, by hand: a detector on four images, ground truth for three of them.
 * <pre>
 * a  cat 0.9 true positive (IoU 0.8), cat 0.6 duplicate (IoU 0.6), dog 0.5 background
 * b  dog 0.7 class confusion (true label cat, IoU 0.7); a cat missed, explained as a target with role missed
 * c  cat 0.8 localisation (IoU 0.3); a dog missed
 * d  dog 0.9, no ground truth, no evaluation
 * </pre>
 * cat: 1 true positive, 1 duplicate, 1 localisation, 1 missed: precision 1/3, recall 1/2;
 * dog: 1 background, 1 class confusion, 1 missed: precision 0, recall 0; one confusion dog → cat.
 */
@QuarkusTest
@QuarkusTestResource(value = LumenStackResource.class, restrictToAnnotatedClass = false)
class ErrorsFlowTest {

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
    void errorsAreCountedFilteredAndExported() throws Exception {
        TestRuns run = new TestRuns(codec, new TopicProbe(bootstrap), store, 4).requested("drise").awaitRecorded();
        Target aCat = detection("cat", 0.9, 10, 10, 40, 40);
        Target aDup = detection("cat", 0.6, 12, 12, 44, 44);
        Target aDog = detection("dog", 0.5, 80, 50, 110, 75);
        run.publish(evaluated(run.explained("a.png", aCat, aDog), List.of(aCat, aDup, aDog), new Evaluation(List.of(
                new PredictionMatch(0, "true-positive", null, 0.8), new PredictionMatch(1, "duplicate", null, 0.6),
                new PredictionMatch(2, "background", null, null)), List.of())));
        Target bDog = detection("dog", 0.7, 10, 10, 40, 40);
        Target bMissedCat = new Target("detection", "cat", 1, 0.1, List.of(60.0, 20.0, 90.0, 50.0), Target.ROLE_MISSED, null);
        run.publish(evaluated(run.explained("b.png", bDog, bMissedCat), List.of(bDog), new Evaluation(
                List.of(new PredictionMatch(0, "class-confusion", "cat", 0.7)),
                List.of(new MissedObject("cat", 1, List.of(60.0, 20.0, 90.0, 50.0))))));
        Target cCat = detection("cat", 0.8, 50, 30, 70, 50);
        run.publish(evaluated(run.explained("c.png", cCat), List.of(cCat), new Evaluation(
                List.of(new PredictionMatch(0, "localisation", null, 0.3)),
                List.of(new MissedObject("dog", 2, List.of(0.0, 0.0, 20.0, 20.0))))));
        run.publish(run.explained("d.png", detection("dog", 0.9, 5, 5, 30, 30)));
        run.awaitProgress(p -> p.state().terminal(), Duration.ofSeconds(60));

        // Insights: per class and error type, as counted by hand above.
        InsightsView view = Tokens.as(TestRuns.TENANT).get("/api/runs/" + run.runId + "/insights").then().statusCode(200)
                .extract().as(InsightsView.class);
        ErrorInsights errors = view.errors();
        assertThat(errors.evaluated()).isEqualTo(3);
        assertThat(errors.types()).containsExactly("true-positive", "background", "localisation", "duplicate",
                "class-confusion", "missed");
        assertThat(errors.totals()).containsExactly(entry("true-positive", 1), entry("background", 1),
                entry("localisation", 1), entry("duplicate", 1), entry("class-confusion", 1), entry("missed", 2));
        assertThat(errors.images()).containsEntry("missed", 2).containsEntry("duplicate", 1).containsEntry("true-positive", 1);
        ClassErrors cat = errors.classes().get(0);
        ClassErrors dog = errors.classes().get(1);
        assertThat(cat.label()).isEqualTo("cat");
        assertThat(cat.counts()).containsExactly(entry("true-positive", 1), entry("background", 0),
                entry("localisation", 1), entry("duplicate", 1), entry("class-confusion", 0), entry("missed", 1));
        assertThat(List.of(cat.predictions(), dog.predictions())).containsExactly(3, 2);
        assertThat(cat.precision()).isEqualTo(0.333333);
        assertThat(cat.recall()).isEqualTo(0.5);
        assertThat(dog.counts()).containsEntry("background", 1).containsEntry("class-confusion", 1)
                .containsEntry("missed", 1).containsEntry("true-positive", 0);
        assertThat(List.of(dog.precision(), dog.recall())).containsExactly(0.0, 0.0);
        assertThat(errors.confusions()).containsExactly(new Confusion("dog", "cat", 1));
        // The map of b's missed cat is no prediction: the class measures count the cats of a and c only.
        assertThat(view.classes().stream().filter(c -> c.label().equals("cat")).findFirst().orElseThrow().explained())
                .isEqualTo(2);
        // The incremental counts (as stored) equal a recomputation from the stored records.
        assertThat(mapper.writeValueAsString(insights.insights(run.runId).orElseThrow().errors()))
                .isEqualTo(mapper.writeValueAsString(insights.recompute(run.runId).errors()));
        assertThat(mapper.writeValueAsString(insights.insights(run.runId).orElseThrow()))
                .isEqualTo(mapper.writeValueAsString(insights.recompute(run.runId)));

        // Listing: facets; the role-missed cat of b is not a "cat" prediction.
        JsonPath all = list(run, Map.of());
        assertThat(all.getInt("errors.missed")).isEqualTo(2);
        assertThat((Integer) all.getMap("errors").get("class-confusion")).isEqualTo(1);
        assertThat(all.getInt("errors.correct")).isZero();
        assertThat(all.getInt("labels.cat")).isEqualTo(2);
        assertThat(all.getInt("labels.dog")).isEqualTo(3);
        assertThat(all.getList("items.find { it.imageId == 'b.png' }.errors")).containsExactly("class-confusion", "missed");
        assertThat(all.getList("items.find { it.imageId == 'd.png' }.errors")).isNull();
        assertThat(ids(list(run, Map.of("label", "cat")))).containsExactly("a.png", "c.png");

        // Filters, alone, with label, outcome and pages.
        JsonPath missed = list(run, Map.of("error", "missed"));
        assertThat(ids(missed)).containsExactly("b.png", "c.png");
        assertThat(missed.getInt("matching")).isEqualTo(all.getInt("errors.missed"));
        assertThat(missed.getString("error")).isEqualTo("missed");
        assertThat(ids(list(run, Map.of("error", "missed", "label", "dog")))).containsExactly("c.png");
        assertThat(ids(list(run, Map.of("error", "duplicate")))).containsExactly("a.png");
        assertThat(ids(list(run, Map.of("error", "Background", "label", "dog")))).containsExactly("a.png");
        assertThat(ids(list(run, Map.of("error", "background", "label", "cat")))).isEmpty();
        assertThat(ids(list(run, Map.of("error", "class-confusion", "outcome", "explained")))).containsExactly("b.png");
        assertThat(ids(list(run, Map.of("error", "class-confusion", "outcome", "failed")))).isEmpty();
        assertThat(ids(list(run, Map.of("error", "correct")))).isEmpty();
        JsonPath second = list(run, Map.of("error", "missed", "size", "1", "page", "1"));
        assertThat(ids(second)).containsExactly("c.png");
        assertThat(second.getInt("totalPages")).isEqualTo(2);
        assertThat(ids(list(run, Map.of("error", "missed", "sort", "score")))).containsExactly("c.png", "b.png");
        Tokens.as(TestRuns.TENANT).queryParam("error", "false-positive").get("/api/runs/" + run.runId + "/results")
                .then().statusCode(400).contentType(startsWith("application/problem+json"))
                .body("type", equalTo("https://lumen.dev/problems/validation"))
                .body("errors[0].field", equalTo("error"))
                .body("detail", containsString("true-positive, background, localisation, duplicate, class-confusion, correct, wrong, missed"));

        // Image detail: the matches and missed objects, and the role of the missed cat's map.
        JsonPath b = Tokens.as(TestRuns.TENANT).get("/api/runs/" + run.runId + "/results/b.png").then().statusCode(200)
                .extract().jsonPath();
        assertThat(b.getString("evaluation.matches[0].type")).isEqualTo("class-confusion");
        assertThat(b.getString("evaluation.matches[0].trueLabel")).isEqualTo("cat");
        assertThat(b.getDouble("evaluation.matches[0].iou")).isEqualTo(0.7);
        assertThat(b.getString("evaluation.missed[0].label")).isEqualTo("cat");
        assertThat(b.getString("explanations[1].target.role")).isEqualTo("missed");

        // Export: error counts per class in the JSON and CSV, the type of each explained prediction per row.
        Map<String, byte[]> zip = unzip(Tokens.as(TestRuns.TENANT).get("/api/runs/" + run.runId + "/export")
                .then().statusCode(200).extract().asByteArray());
        List<String> errorsCsv = new String(zip.get("errors.csv"), StandardCharsets.UTF_8).lines().toList();
        assertThat(errorsCsv).containsExactly(
                "label,true_positive,background,localisation,duplicate,class_confusion,missed,predictions,precision,recall",
                "cat,1,0,1,1,0,1,3,0.333333,0.500000",
                "dog,0,1,0,0,1,1,2,0.000000,0.000000");
        List<String> metrics = new String(zip.get("metrics.csv"), StandardCharsets.UTF_8).lines().toList();
        assertThat(metrics.get(0)).endsWith(",role,error_type,true_label,iou");
        assertThat(metrics).anySatisfy(row -> assertThat(row).startsWith("b.png,EXPLAINED,0,dog,")
                .endsWith(",,class-confusion,cat,0.700000"));
        assertThat(metrics).anySatisfy(row -> assertThat(row).startsWith("b.png,EXPLAINED,1,cat,").endsWith(",missed,,,"));
        assertThat(metrics).anySatisfy(row -> assertThat(row).startsWith("a.png,EXPLAINED,1,dog,").endsWith(",,background,,"));
        JsonNode annotations = mapper.readTree(zip.get("annotations.json"));
        JsonNode catCategory = StreamSupport.stream(annotations.path("categories").spliterator(), false)
                .filter(c -> c.path("name").asText().equals("cat")).findFirst().orElseThrow();
        assertThat(catCategory.path("error_counts").path("duplicate").asInt()).isEqualTo(1);
        assertThat(catCategory.path("recall").asDouble()).isEqualTo(0.5);
        assertThat(mapper.readTree(zip.get("insights.json")).path("errors").path("totals").path("missed").asInt()).isEqualTo(2);
    }

    @Test
    void aRunWithoutGroundTruthHasNoErrorCounts() {
        TestRuns run = new TestRuns(codec, new TopicProbe(bootstrap), store, 1).requested().awaitRecorded();
        run.publish(run.explained("a.png", TestRuns.cls("cat", 0.9)));
        run.awaitProgress(p -> p.state().terminal(), Duration.ofSeconds(30));
        JsonPath page = list(run, Map.of());
        assertThat(page.getMap("errors")).isNull();
        assertThat(ids(list(run, Map.of("error", "missed")))).isEmpty();
        Tokens.as(TestRuns.TENANT).get("/api/runs/" + run.runId + "/insights").then().statusCode(200)
                .body("errors", org.hamcrest.Matchers.nullValue());
    }

    /** {@code result} with {@code predictions} (the explained ones among them) and {@code evaluation}. */
    private static ImageResult evaluated(ImageResult result, List<Target> predictions, Evaluation evaluation) {
        return result.toBuilder().predictions(predictions).evaluation(evaluation).build();
    }

    private static JsonPath list(TestRuns run, Map<String, String> query) {
        return Tokens.as(TestRuns.TENANT).queryParams(query).get("/api/runs/" + run.runId + "/results")
                .then().statusCode(200).extract().jsonPath();
    }

    private static List<String> ids(JsonPath page) {
        return page.getList("items.imageId");
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
