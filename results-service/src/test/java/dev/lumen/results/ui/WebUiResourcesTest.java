package dev.lumen.results.ui;

import dev.lumen.testing.LumenStackResource;
import dev.lumen.testing.Tokens;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import org.junit.jupiter.api.Test;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.startsWith;

/**
 * The web UI is served by results-service itself without a token, and the progress streams take a
 * token from the query where EventSource cannot send a header; no other endpoint does.
 */
@QuarkusTest
@QuarkusTestResource(value = LumenStackResource.class, restrictToAnnotatedClass = false)
class WebUiResourcesTest {

    @Test
    void pagesAndAssetsAreServed() {
        given().get("/").then().statusCode(200).contentType(startsWith("text/html"))
                .body(containsString("<h1>Runs</h1>"), containsString("/assets/runs.js"));
        given().get("/run.html").then().statusCode(200).body(containsString("id=\"gallery\""));
        given().get("/image.html").then().statusCode(200).body(containsString("id=\"content\""));
        given().get("/insights.html").then().statusCode(200).body(containsString("id=\"classes\""));
        given().get("/compare.html").then().statusCode(200).body(containsString("id=\"compare-classes\""));
        given().get("/series.html").then().statusCode(200).body(containsString("id=\"series-score\""));
        given().get("/assets/series.js").then().statusCode(200).body(containsString("lineChart"));
        given().get("/models.html").then().statusCode(200).body(containsString("id=\"register-form\""));
        given().get("/datasets.html").then().statusCode(200).body(containsString("id=\"upload-form\""));
        given().get("/new-run.html").then().statusCode(200).body(containsString("id=\"run-form\""));
        for (String script : new String[] {"lumen.js", "runs.js", "run.js", "image.js", "insights.js", "compare.js",
                "models.js", "datasets.js", "new-run.js", "charts.js"}) {
            given().get("/assets/" + script).then().statusCode(200).contentType(containsString("javascript"));
        }
        given().get("/assets/lumen.css").then().statusCode(200).contentType(startsWith("text/css"));
    }

    @Test
    void streamEndpointsAcceptTheTokenInTheQuery() {
        String token = Tokens.forTenant("default");
        // Authenticated through the query: the unknown run is a 404, not a 401.
        given().accept("text/event-stream").get("/api/runs/no-such-run/events?access_token=" + token)
                .then().statusCode(404).body("type", equalTo("https://lumen.dev/problems/run-not-found"));
        given().accept("text/event-stream").get("/api/runs/no-such-run/events")
                .then().statusCode(401).body("type", equalTo("https://lumen.dev/problems/unauthorized"));
        given().accept("text/event-stream").get("/api/runs/no-such-run/events?access_token=not-a-jwt")
                .then().statusCode(401).body("type", equalTo("https://lumen.dev/problems/invalid-token"));

        // A header the client sent wins over the query.
        given().header("Authorization", "Bearer not-a-jwt").accept("text/event-stream")
                .get("/api/runs/no-such-run/events?access_token=" + token).then().statusCode(401);
    }

    @Test
    void noOtherEndpointTakesATokenFromTheQuery() {
        String token = Tokens.forTenant("default");
        given().get("/api/runs/no-such-run?access_token=" + token).then().statusCode(401);
        given().get("/api/runs?access_token=" + token).then().statusCode(401);
        given().get("/api/runs/no-such-run/insights?access_token=" + token).then().statusCode(401);
    }

    @Test
    void streamPathPatternMatchesOnlyTheStreams() {
        assertThat(AccessTokenQueryFilter.STREAM_PATH.matcher("/api/runs/events").matches()).isTrue();
        assertThat(AccessTokenQueryFilter.STREAM_PATH.matcher("/api/runs/run-1/events").matches()).isTrue();
        assertThat(AccessTokenQueryFilter.STREAM_PATH.matcher("/api/runs/run-1").matches()).isFalse();
        assertThat(AccessTokenQueryFilter.STREAM_PATH.matcher("/api/runs/run-1/results").matches()).isFalse();
        assertThat(AccessTokenQueryFilter.STREAM_PATH.matcher("/api/runs/a/b/events").matches()).isFalse();
    }
}
