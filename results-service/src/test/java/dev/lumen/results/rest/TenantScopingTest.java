package dev.lumen.results.rest;

import dev.lumen.contracts.EventCodec;
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

import java.time.Duration;
import java.util.List;
import java.util.stream.Stream;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.startsWith;

/**
 * Every results-service API needs a bearer token and shows a tenant its own runs only: without a token
 * the answer is a 401 problem, another tenant's run is a 404 exactly like an unknown one, listings hold
 * only the caller's runs; the web UI's pages stay public.
 */
@QuarkusTest
@QuarkusTestResource(value = LumenStackResource.class, restrictToAnnotatedClass = false)
class TenantScopingTest {

    private static final String OWNER = "tenant-owner";
    private static final String STRANGER = "tenant-stranger";

    @Inject
    ObjectStore store;

    @Inject
    EventCodec codec;

    @ConfigProperty(name = "kafka.bootstrap.servers")
    String bootstrap;

    private TestRuns run;

    @BeforeEach
    void finishedRunOfTheOwner() {
        run = new TestRuns(codec, new TopicProbe(bootstrap), store, 2, OWNER).requested();
        run.publish(run.explained("a.png", TestRuns.detection("cat", 0.9, 40, 20, 90, 60)));
        run.publish(run.explained("b.png", TestRuns.detection("cat", 0.6, 40, 20, 90, 60)));
        run.awaitProgress(p -> p.state().terminal(), Duration.ofSeconds(30));
    }

    private List<String> runPaths() {
        String base = "/api/runs/" + run.runId;
        return List.of(base, base + "/progress", base + "/results", base + "/results/a.png", base + "/insights",
                base + "/export", base + "/comparable", base + "/images/a.png/overlay-0.png",
                base + "/images/a.png/original", "/api/comparisons?a=" + run.runId + "&b=" + run.runId);
    }

    @Test
    void withoutATokenEveryApiIsA401Problem() {
        for (String path : concat(runPaths(), List.of("/api/runs"))) {
            given().get(path).then().statusCode(401)
                    .contentType(startsWith("application/problem+json"))
                    .header("WWW-Authenticate", startsWith("Bearer"))
                    .body("type", equalTo("https://lumen.dev/problems/unauthorized"));
        }
        given().header("Authorization", "Bearer " + Tokens.signedByStranger(OWNER)).get("/api/runs/" + run.runId)
                .then().statusCode(401).body("type", equalTo("https://lumen.dev/problems/invalid-token"));
        given().header("Authorization", "Bearer " + Tokens.expired(OWNER)).get("/api/runs")
                .then().statusCode(401).body("detail", containsString("expired"));
    }

    @Test
    void anotherTenantsRunIsNotFoundAndNotListed() {
        for (String path : runPaths()) {
            Tokens.as(STRANGER).get(path).then().statusCode(404)
                    .contentType(startsWith("application/problem+json"))
                    .body("detail", containsString(run.runId));
        }
        List<String> strangerRuns = Tokens.as(STRANGER).get("/api/runs").then().statusCode(200)
                .extract().jsonPath().getList("runId");
        assertThat(strangerRuns).doesNotContain(run.runId);
    }

    @Test
    void theOwnerSeesTheRunItsResultsAndInsightsWithPresignedOverlays() {
        for (String path : runPaths()) {
            Tokens.as(OWNER).get(path).then().statusCode(200);
        }
        List<String> ownerRuns = Tokens.as(OWNER).get("/api/runs").then().statusCode(200)
                .extract().jsonPath().getList("runId");
        assertThat(ownerRuns).contains(run.runId).allSatisfy(id -> assertThat(id).isNotNull());

        // Overlays in insights are presigned URLs: an <img> loads them without a token.
        JsonPath insights = Tokens.as(OWNER).get("/api/runs/" + run.runId + "/insights").then().statusCode(200)
                .extract().jsonPath();
        String overlay = insights.getString("lookingAway[0].overlay");
        assertThat(overlay).startsWith("http").contains("X-Amz-Signature");
        assertThat(given().urlEncodingEnabled(false).get(overlay).then().statusCode(200).extract().asByteArray())
                .startsWith((byte) 0x89, (byte) 'P', (byte) 'N', (byte) 'G');
    }

    @Test
    void comparableRunsAreTheCallersRunsOverTheSameSample() {
        TestRuns twin = run.sameSample(OWNER).requested();
        TestRuns strangersTwin = run.sameSample(STRANGER).requested();
        TestRuns otherImages = new TestRuns(codec, new TopicProbe(bootstrap), store, 2, OWNER).requested();
        for (TestRuns r : List.of(twin, strangersTwin, otherImages)) {
            r.awaitProgress(p -> true, Duration.ofSeconds(30));
        }
        List<String> comparable = Tokens.as(OWNER).get("/api/runs/" + run.runId + "/comparable").then().statusCode(200)
                .extract().jsonPath().getList("runId");
        assertThat(comparable).containsExactly(twin.runId);
        Tokens.as(OWNER).get("/api/runs/" + twin.runId + "/comparable").then().statusCode(200)
                .body("runId", hasItem(run.runId));
    }

    @Test
    void theWebUiIsPublic() {
        for (String page : List.of("/", "/run.html", "/image.html", "/insights.html", "/compare.html",
                "/assets/lumen.js", "/assets/compare.js")) {
            given().get(page).then().statusCode(200);
        }
    }

    private static List<String> concat(List<String> a, List<String> b) {
        return Stream.concat(a.stream(), b.stream()).toList();
    }
}
