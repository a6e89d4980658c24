package dev.lumen.results.rest;

import dev.lumen.contracts.EventCodec;
import dev.lumen.contracts.Metrics;
import dev.lumen.contracts.Outcome;
import dev.lumen.contracts.RunProgress;
import dev.lumen.contracts.RunState;
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
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import javax.imageio.ImageIO;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;

import static dev.lumen.results.TestRuns.cls;
import static dev.lumen.results.TestRuns.detection;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.startsWith;

/**
 * The results listing over a run stored through the real broker and S3 server: filters, sort orders,
 * pages, the image detail with presigned URLs that the S3 server honours, and problems for bad input.
 */
@QuarkusTest
@QuarkusTestResource(value = LumenStackResource.class, restrictToAnnotatedClass = false)
class ResultsApiTest {

    @Inject
    ObjectStore store;

    @Inject
    EventCodec codec;

    @ConfigProperty(name = "kafka.bootstrap.servers")
    String bootstrap;

    private static TestRuns run;

    /** One run for every test of the class: 6 explained (two labels), 1 skipped, 1 failed. */
    @BeforeEach
    void storeRun() {
        if (run != null) {
            return;
        }
        run = new TestRuns(codec, new TopicProbe(bootstrap), store, 8).requested();
        run.publish(run.explained("img-1", cls("red", 0.91), cls("blue", 0.40)));
        run.publish(run.explained("img-2", cls("red", 0.55)));
        run.publish(run.explained("img-3", cls("green", 0.97)));
        run.publish(run.explained("img-4", cls("green", 0.62), new Metrics(0.05, 0.30)));
        run.publish(run.explained("img-5", detection("red", 0.75, 10, 20, 50, 60)));
        run.publish(run.explained("img-6", cls("red", 0.80), new Metrics(0.50, 0.95)));
        run.publish(run.notExplained("img-7", Outcome.SKIPPED, "no prediction above 0.5"));
        run.publish(run.notExplained("img-8", Outcome.FAILED, "corrupt-image"));
        run.awaitProgress(p -> p.state().terminal(), Duration.ofSeconds(60));
    }

    @Test
    void listsEveryResultByImageIdWithFacets() {
        JsonPath page = Tokens.as(TestRuns.TENANT).get(results("")).then().statusCode(200).extract().jsonPath();
        assertThat(page.getList("items.imageId")).containsExactly("img-1", "img-2", "img-3", "img-4", "img-5", "img-6",
                "img-7", "img-8");
        assertThat(page.getInt("matching")).isEqualTo(8);
        assertThat(page.getInt("totalPages")).isEqualTo(1);
        assertThat(page.getInt("outcomes.explained")).isEqualTo(6);
        assertThat(page.getInt("outcomes.skipped")).isEqualTo(1);
        assertThat(page.getInt("outcomes.failed")).isEqualTo(1);
        assertThat(page.getInt("labels.red")).isEqualTo(4);
        assertThat(page.getInt("labels.green")).isEqualTo(2);
        assertThat(page.getInt("labels.blue")).isEqualTo(1);
        assertThat(page.getString("urlsExpireAt")).isNotBlank();
        assertThat(page.getString("items[6].reason")).isEqualTo("no prediction above 0.5");
        assertThat(page.getString("items[0].explanations[0].heatmap")).startsWith("http");
    }

    @Test
    void filtersByLabelAndSortsByTheMatchingTargetsScore() {
        JsonPath page = Tokens.as(TestRuns.TENANT).queryParam("label", "RED").queryParam("sort", "score")
                .get(results("")).then().statusCode(200).extract().jsonPath();
        assertThat(page.getList("items.imageId")).containsExactly("img-1", "img-6", "img-5", "img-2");
        assertThat(page.getString("order")).isEqualTo("desc");
        // img-1 also explains "blue": the red map comes first, as the one the listing was sorted by.
        assertThat(page.getString("items[0].explanations[0].target.label")).isEqualTo("red");
        assertThat(page.getInt("items[0].explanations[0].index")).isZero();

        JsonPath blue = Tokens.as(TestRuns.TENANT).queryParam("label", "blue").get(results("")).then().statusCode(200).extract().jsonPath();
        assertThat(blue.getList("items.imageId")).containsExactly("img-1");
        assertThat(blue.getString("items[0].explanations[0].target.label")).isEqualTo("blue");
        assertThat(blue.getInt("items[0].explanations[0].index")).isEqualTo(1);
    }

    @Test
    void filtersByOutcome() {
        Tokens.as(TestRuns.TENANT).queryParam("outcome", "skipped").get(results("")).then().statusCode(200)
                .body("items.imageId", equalTo(List.of("img-7")))
                .body("items[0].reason", equalTo("no prediction above 0.5"));
        Tokens.as(TestRuns.TENANT).queryParam("outcome", "FAILED").get(results("")).then().statusCode(200)
                .body("items.imageId", equalTo(List.of("img-8")))
                .body("items[0].reason", equalTo("corrupt-image"));
        Tokens.as(TestRuns.TENANT).queryParam("outcome", "explained").get(results("")).then().statusCode(200).body("matching", equalTo(6));
    }

    @Test
    void sortsByFaithfulnessWithImagesWithoutMetricsLast() {
        // deletion AUC: score / 4 unless given; lower is better, so ascending by default.
        JsonPath deletion = Tokens.as(TestRuns.TENANT).queryParam("sort", "deletion").get(results("")).then().statusCode(200)
                .extract().jsonPath();
        assertThat(deletion.getString("order")).isEqualTo("asc");
        assertThat(deletion.getList("items.imageId")).containsExactly("img-4", "img-2", "img-5", "img-1", "img-3",
                "img-6", "img-7", "img-8");
        JsonPath insertion = Tokens.as(TestRuns.TENANT).queryParam("sort", "insertion").get(results("")).then().statusCode(200)
                .extract().jsonPath();
        assertThat(insertion.getList("items.imageId")).startsWith("img-3", "img-1", "img-6").endsWith("img-7", "img-8");
        JsonPath faithfulness = Tokens.as(TestRuns.TENANT).queryParam("sort", "faithfulness").queryParam("order", "asc")
                .get(results("")).then().statusCode(200).extract().jsonPath();
        // insertion - deletion: img-4 0.25, img-6 0.45, img-2 0.4625 ...; nulls stay last in either order.
        assertThat(faithfulness.getList("items.imageId")).startsWith("img-4", "img-6", "img-2").endsWith("img-7", "img-8");
        assertThat(faithfulness.getDouble("items[0].explanations[0].faithfulness")).isEqualTo(0.25, org.assertj.core.data.Offset.offset(1e-9));
    }

    @Test
    void paginatesWithoutOverlap() {
        JsonPath first = Tokens.as(TestRuns.TENANT).queryParam("size", 3).queryParam("sort", "score").get(results("")).then().statusCode(200)
                .extract().jsonPath();
        JsonPath second = Tokens.as(TestRuns.TENANT).queryParam("size", 3).queryParam("page", 1).queryParam("sort", "score").get(results(""))
                .then().statusCode(200).extract().jsonPath();
        JsonPath third = Tokens.as(TestRuns.TENANT).queryParam("size", 3).queryParam("page", 2).queryParam("sort", "score").get(results(""))
                .then().statusCode(200).extract().jsonPath();
        assertThat(first.getInt("totalPages")).isEqualTo(3);
        assertThat(first.getList("items.imageId")).containsExactly("img-3", "img-1", "img-6");
        assertThat(second.getList("items.imageId")).containsExactly("img-5", "img-4", "img-2");
        assertThat(third.getList("items.imageId")).containsExactly("img-7", "img-8");
        Tokens.as(TestRuns.TENANT).queryParam("size", 3).queryParam("page", 9).get(results("")).then().statusCode(200)
                .body("items.size()", equalTo(0)).body("matching", equalTo(8));
    }

    @Test
    void imageDetailHasTargetsBoxesMetricsAndPresignedUrlsTheS3ServerServes() throws Exception {
        JsonPath detail = Tokens.as(TestRuns.TENANT).get(results("/img-5")).then().statusCode(200).extract().jsonPath();
        assertThat(detail.getString("outcome")).isEqualTo("EXPLAINED");
        assertThat(detail.getString("method")).isEqualTo("gradcam");
        assertThat(detail.getInt("timing.explainMs")).isEqualTo(12);
        assertThat(detail.getString("explanations[0].target.kind")).isEqualTo("detection");
        assertThat(detail.getList("explanations[0].target.box", Double.class)).containsExactly(10.0, 20.0, 50.0, 60.0);
        assertThat(detail.getDouble("explanations[0].metrics.deletionAuc")).isEqualTo(0.1875);

        HttpClient http = HttpClient.newHttpClient();
        for (String url : List.of(detail.getString("original"), detail.getString("explanations[0].overlay"),
                detail.getString("explanations[0].heatmap"), detail.getString("explanations[0].saliency"))) {
            HttpResponse<byte[]> response = http.send(HttpRequest.newBuilder(URI.create(url)).GET().build(),
                    HttpResponse.BodyHandlers.ofByteArray());
            assertThat(response.statusCode()).as(url).isEqualTo(200);
            BufferedImage image = ImageIO.read(new ByteArrayInputStream(response.body()));
            assertThat(image.getWidth()).as(url).isEqualTo(TestRuns.WIDTH);
            // The heatmap has a legend strip below the map.
            assertThat(image.getHeight()).as(url).isGreaterThanOrEqualTo(TestRuns.HEIGHT);
        }
        // Unsigned, the same object is refused: the URL's signature is what grants access.
        String unsigned = detail.getString("explanations[0].overlay").replaceFirst("\\?.*$", "");
        assertThat(http.send(HttpRequest.newBuilder(URI.create(unsigned)).GET().build(),
                HttpResponse.BodyHandlers.discarding()).statusCode()).isEqualTo(403);
    }

    @Test
    void redeliveredResultsWithOtherContentLeaveTheFirstAndExactCounts() {
        TestRuns dup = new TestRuns(codec, new TopicProbe(bootstrap), store, 3).requested();
        dup.publish(dup.explained("a", cls("red", 0.9)));
        dup.publish(dup.explained("a", cls("red", 0.11)));
        dup.publish(dup.notExplained("a", Outcome.FAILED, "late-duplicate"));
        dup.publish(dup.explained("b", cls("green", 0.7)));
        dup.publish(dup.explained("b", cls("green", 0.7)));
        // Same key, same partition: when the last image is counted, the duplicates before it were consumed.
        dup.publish(dup.notExplained("c", Outcome.SKIPPED, "no prediction above 0.5"));
        RunProgress progress = dup.awaitProgress(p -> p.state().terminal(), Duration.ofSeconds(60));

        assertThat(progress.explained()).isEqualTo(2);
        assertThat(progress.skipped()).isEqualTo(1);
        assertThat(progress.failed()).isZero();
        assertThat(progress.state()).isEqualTo(RunState.COMPLETED_WITH_SKIPS);
        Tokens.as(TestRuns.TENANT).get("/api/runs/" + dup.runId + "/results/a").then().statusCode(200)
                .body("outcome", equalTo("EXPLAINED"))
                .body("explanations[0].target.score", equalTo(0.9f));
        assertThat(store.list("runs/" + dup.runId + "/images/").stream().filter(k -> k.endsWith("/result.json")))
                .containsExactlyInAnyOrder("runs/" + dup.runId + "/images/a/result.json",
                        "runs/" + dup.runId + "/images/b/result.json", "runs/" + dup.runId + "/images/c/result.json");
        // Every record of the run on the compacted topic validates, none ever counts past the total,
        // and the last is the exact final state.
        List<RunProgress> records = dup.awaitProgressRecords(r -> !r.isEmpty() && r.get(r.size() - 1).state().terminal());
        assertThat(records).allSatisfy(p -> assertThat(p.done()).isLessThanOrEqualTo(3));
        RunProgress last = records.get(records.size() - 1);
        assertThat(List.of(last.total(), last.explained(), last.skipped(), last.failed())).containsExactly(3, 2, 1, 0);
    }

    @Test
    void badParametersAndUnknownIdsAreProblems() {
        for (String query : List.of("?sort=colour", "?order=up", "?outcome=maybe", "?size=0", "?size=1000", "?page=-1")) {
            Tokens.as(TestRuns.TENANT).get(results(query)).then().statusCode(400).contentType(startsWith("application/problem+json"))
                    .body("type", equalTo("https://lumen.dev/problems/validation"));
        }
        Tokens.as(TestRuns.TENANT).get("/api/runs/no-such-run/results").then().statusCode(404).contentType(startsWith("application/problem+json"));
        Tokens.as(TestRuns.TENANT).get(results("/no-such-image")).then().statusCode(404).contentType(startsWith("application/problem+json"));
        Tokens.as(TestRuns.TENANT).get("/api/runs/bad%20id/results").then().statusCode(400);
    }

    @Test
    void existingRunEndpointsKeepTheirShape() {
        Tokens.as(TestRuns.TENANT).get("/api/runs/" + run.runId).then().statusCode(200)
                .body("progress.state", equalTo("COMPLETED_WITH_SKIPS"))
                .body("images.size()", equalTo(8))
                .body("images[0].explanations[0].overlay", equalTo("/api/runs/" + run.runId + "/images/img-1/overlay-0.png"));
        Tokens.as(TestRuns.TENANT).get("/api/runs/" + run.runId + "/progress").then().statusCode(200)
                .body("total", equalTo(8)).body("explained", equalTo(6));
        Tokens.as(TestRuns.TENANT).get("/api/runs").then().statusCode(200);
    }

    private static String results(String suffix) {
        return "/api/runs/" + run.runId + "/results" + suffix;
    }
}
