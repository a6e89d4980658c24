package dev.lumen.results.ui;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import dev.lumen.testing.LumenStackResource;
import io.quarkus.vertx.http.runtime.filters.Filters;
import io.vertx.core.http.HttpHeaders;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import org.junit.jupiter.api.Test;

import java.util.concurrent.atomic.AtomicReference;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.startsWith;

/**
 * The web UI is served by results-service itself, and the progress streams take a token from the
 * query where EventSource cannot send a header.
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
        for (String script : new String[] {"lumen.js", "runs.js", "run.js", "image.js"}) {
            given().get("/assets/" + script).then().statusCode(200).contentType(containsString("javascript"));
        }
        given().get("/assets/lumen.css").then().statusCode(200).contentType(startsWith("text/css"));
    }

    @Test
    void streamEndpointsTurnTheQueryTokenIntoABearerHeader() {
        AuthorizationSeen.last.set(null);
        given().accept("text/event-stream").get("/api/runs/no-such-run/events?access_token=tok-1").then().statusCode(404);
        assertThat(AuthorizationSeen.last.get()).isEqualTo("Bearer tok-1");

        // A header the client sent wins over the query.
        AuthorizationSeen.last.set(null);
        given().header("Authorization", "Bearer from-header").accept("text/event-stream")
                .get("/api/runs/no-such-run/events?access_token=tok-2").then().statusCode(404);
        assertThat(AuthorizationSeen.last.get()).isEqualTo("Bearer from-header");

        // Nowhere else: a token in the URL of an ordinary API call is not used.
        AuthorizationSeen.last.set("none");
        given().get("/api/runs/no-such-run?access_token=tok-3").then().statusCode(404);
        assertThat(AuthorizationSeen.last.get()).isEqualTo("none");
    }

    @Test
    void streamPathPatternMatchesOnlyTheStreams() {
        assertThat(AccessTokenQueryFilter.STREAM_PATH.matcher("/api/runs/events").matches()).isTrue();
        assertThat(AccessTokenQueryFilter.STREAM_PATH.matcher("/api/runs/run-1/events").matches()).isTrue();
        assertThat(AccessTokenQueryFilter.STREAM_PATH.matcher("/api/runs/run-1").matches()).isFalse();
        assertThat(AccessTokenQueryFilter.STREAM_PATH.matcher("/api/runs/run-1/results").matches()).isFalse();
        assertThat(AccessTokenQueryFilter.STREAM_PATH.matcher("/api/runs/a/b/events").matches()).isFalse();
    }

    /** Records the Authorization header that handlers after the token filter see on stream paths. */
    @ApplicationScoped
    static class AuthorizationSeen {
        static final AtomicReference<String> last = new AtomicReference<>();

        void register(@Observes Filters filters) {
            filters.register(context -> {
                if (context.request().path().startsWith("/api/runs/no-such-run")) {
                    String header = context.request().getHeader(HttpHeaders.AUTHORIZATION);
                    if (header != null || context.request().path().endsWith("/events")) {
                        last.set(header);
                    }
                }
                context.next();
            }, 10);
        }
    }
}
