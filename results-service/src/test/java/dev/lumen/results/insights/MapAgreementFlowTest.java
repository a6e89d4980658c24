package dev.lumen.results.insights;

import dev.lumen.contracts.EventCodec;
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

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Two runs over the same images (as ODAM and D-RISE on one detector would be), through the real broker
 * and S3: the run's agreement with the other and the comparison's map correlations, per target.
 */
@QuarkusTest
@QuarkusTestResource(value = LumenStackResource.class, restrictToAnnotatedClass = false)
class MapAgreementFlowTest {

    @Inject
    ObjectStore store;

    @Inject
    EventCodec codec;

    @ConfigProperty(name = "kafka.bootstrap.servers")
    String bootstrap;

    @Test
    void theRunsInsightsSayHowItsMapsAgreeWithAComparableRun() {
        TestRuns gradient = new TestRuns(codec, new TopicProbe(bootstrap), store, 3).requested("odam").awaitRecorded();
        TestRuns drise = gradient.sameSample(TestRuns.TENANT).requested("drise").awaitRecorded();
        // The cat's box, 50..70 x 30..50 of the 120x80 photo, is cells 12.5..17.5 x 7.5..12.5 of the 30x20 maps.
        String coco = """
                {"images":[{"id":1,"file_name":"a.png"},{"id":2,"file_name":"b.png"},{"id":3,"file_name":"c.png"}],
                 "annotations":[{"id":1,"image_id":1,"category_id":7,"bbox":[50,30,20,20]},
                                {"id":2,"image_id":2,"category_id":7,"bbox":[50,30,20,20]},
                                {"id":3,"image_id":3,"category_id":7,"bbox":[50,30,20,20]}],
                 "categories":[{"id":7,"name":"cat"}]}""";
        store.put("datasets/" + gradient.datasetId + "/ground-truth.json", coco.getBytes(StandardCharsets.UTF_8),
                "application/json");
        var onCat = MapAgreementTest.blob(30, 20, 15, 10, 2);
        var broader = MapAgreementTest.blob(30, 20, 15, 10, 6);
        var elsewhere = MapAgreementTest.blob(30, 20, 4, 4, 2);
        for (String image : List.of("a.png", "b.png", "c.png")) {
            gradient.publish(gradient.explained(image, TestRuns.cls("cat", 0.9), onCat));
        }
        drise.publish(drise.explained("a.png", TestRuns.cls("cat", 0.8), onCat));
        drise.publish(drise.explained("b.png", TestRuns.cls("cat", 0.8), broader));
        drise.publish(drise.explained("c.png", TestRuns.cls("cat", 0.8), elsewhere));
        gradient.awaitProgress(p -> p.state().terminal(), Duration.ofSeconds(30));
        drise.awaitProgress(p -> p.state().terminal(), Duration.ofSeconds(30));

        RunAgreement[] agreements = Tokens.as(TestRuns.TENANT).queryParam("targets", true)
                .get("/api/runs/" + gradient.runId + "/insights/agreement").then().statusCode(200)
                .extract().as(RunAgreement[].class);
        System.out.println("agreement: " + Arrays.toString(agreements));
        assertThat(agreements).singleElement().satisfies(a -> {
            assertThat(a.a()).isEqualTo(gradient.runId);
            assertThat(a.b()).isEqualTo(drise.runId);
            assertThat(a.methodA()).isEqualTo("odam");
            assertThat(a.methodB()).isEqualTo("drise");
            assertThat(a.pairs()).isEqualTo(3);
            assertThat(a.withReference()).isEqualTo(3);
            assertThat(a.pointingHitsA()).isEqualTo(3);
            assertThat(a.pointingHitsB()).isEqualTo(2);
            assertThat(a.pointingAgreement()).isEqualTo(0.6667);
            // Least correlated first: the map elsewhere, the broader map on the cat, the same map.
            assertThat(a.targets()).extracting(MapAgreement::imageId).containsExactly("c.png", "b.png", "a.png");
            assertThat(a.targets().get(0).pearson()).isLessThan(0.1);
            assertThat(a.targets().get(1).pearson()).isBetween(0.3, 0.99);
            assertThat(a.targets().get(2).pearson()).isGreaterThan(0.999);
        });
        assertThat(Tokens.as(TestRuns.TENANT).get("/api/runs/" + gradient.runId + "/insights/agreement").then()
                .statusCode(200).extract().as(RunAgreement[].class)[0].targets()).isNull();

        ComparisonView moved = Tokens.as(TestRuns.TENANT).queryParam("a", gradient.runId).queryParam("b", drise.runId)
                .queryParam("sort", "moved").get("/api/comparisons").then().statusCode(200).extract().as(ComparisonView.class);
        assertThat(moved.agreement().pairs()).isEqualTo(3);
        assertThat(moved.agreement().targets()).isNull();
        assertThat(moved.images()).extracting(ComparisonView.ImagePair::imageId).containsExactly("c.png", "b.png", "a.png");
        assertThat(moved.images().get(0).mapPearson()).isEqualTo(agreements[0].targets().get(0).pearson());
        Tokens.as(TestRuns.TENANT).queryParam("a", gradient.runId).queryParam("b", drise.runId).queryParam("sort", "nope")
                .get("/api/comparisons").then().statusCode(400);
    }
}
