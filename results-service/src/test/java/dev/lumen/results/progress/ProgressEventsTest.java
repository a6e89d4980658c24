package dev.lumen.results.progress;

import dev.lumen.contracts.EventCodec;
import dev.lumen.contracts.Outcome;
import dev.lumen.contracts.RunProgress;
import dev.lumen.contracts.RunState;
import dev.lumen.results.SseClient;
import dev.lumen.results.TestRuns;
import dev.lumen.service.storage.ObjectStore;
import dev.lumen.testing.LumenStackResource;
import dev.lumen.testing.Tokens;
import dev.lumen.testing.TopicProbe;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.Test;

import java.net.URL;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import static dev.lumen.results.TestRuns.cls;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.startsWith;

/**
 * Progress streamed to browsers over Server-Sent Events, fed by the same updates that go to the
 * compacted topic.
 */
@QuarkusTest
@QuarkusTestResource(value = LumenStackResource.class, restrictToAnnotatedClass = false)
class ProgressEventsTest {

    @Inject
    ObjectStore store;

    @Inject
    EventCodec codec;

    @ConfigProperty(name = "kafka.bootstrap.servers")
    String bootstrap;

    @TestHTTPResource("/")
    URL base;

    @Test
    void runStreamDeliversTheCurrentStateThenEveryChangeAndEndsWithTheTerminalState() throws Exception {
        TestRuns run = new TestRuns(codec, new TopicProbe(bootstrap), store, 3).requested();
        run.awaitProgress(p -> p.state() == RunState.QUEUED, Duration.ofSeconds(30));

        Map<String, String> bearer = Map.of("Authorization", "Bearer " + Tokens.forTenant(run.tenant));
        try (SseClient all = new SseClient(url("api/runs/events"), codec, bearer);
             SseClient otherTenant = new SseClient(url("api/runs/events?access_token=" + Tokens.forTenant("tenant-other")),
                     codec, Map.of());
             SseClient stream = new SseClient(url("api/runs/" + run.runId + "/events"), codec, bearer)) {
            assertThat(stream.status(Duration.ofSeconds(10))).isEqualTo(200);
            assertThat(stream.header("content-type")).startsWith("text/event-stream");
            assertThat(all.status(Duration.ofSeconds(10))).isEqualTo(200);
            assertThat(otherTenant.status(Duration.ofSeconds(10))).isEqualTo(200);
            stream.await(events -> !events.isEmpty(), Duration.ofSeconds(10));
            assertThat(stream.events().get(0).state()).isEqualTo(RunState.QUEUED);

            run.publish(run.explained("a", cls("red", 0.9)));
            stream.await(events -> events.stream().anyMatch(p -> p.done() == 1), Duration.ofSeconds(20));
            run.publish(run.explained("b", cls("red", 0.8)));
            run.publish(run.notExplained("c", Outcome.SKIPPED, "no prediction above 0.5"));

            List<RunProgress> events = stream.await(e -> e.get(e.size() - 1).state().terminal(), Duration.ofSeconds(30));
            RunProgress last = events.get(events.size() - 1);
            assertThat(last.state()).isEqualTo(RunState.COMPLETED_WITH_SKIPS);
            assertThat(List.of(last.explained(), last.skipped(), last.failed(), last.total())).containsExactly(2, 1, 0, 3);
            assertThat(last.skipReasons()).containsEntry("no prediction above 0.5", 1);
            assertThat(events).extracting(RunProgress::done).isSorted();
            assertThat(events).extracting(RunProgress::state).contains(RunState.RUNNING);
            assertThat(stream.awaitEnd(Duration.ofSeconds(10))).as("stream ends after the terminal state").isTrue();

            // The all-runs stream saw the same run's updates, through to its end.
            all.await(e -> e.stream().anyMatch(p -> p.runId().equals(run.runId) && p.state().terminal()),
                    Duration.ofSeconds(10));
            // Another tenant's stream was open all along and saw none of them.
            assertThat(otherTenant.events()).noneMatch(p -> p.runId().equals(run.runId));
        }
    }

    @Test
    void finishedRunStreamSendsTheFinalStateAndEndsWithTheTokenInTheQuery() throws Exception {
        TestRuns run = new TestRuns(codec, new TopicProbe(bootstrap), store, 1).requested();
        run.publish(run.explained("only", cls("green", 0.7)));
        run.awaitProgress(p -> p.state().terminal(), Duration.ofSeconds(30));
        // As a browser's EventSource asks: no header, the token as access_token.
        String token = Tokens.forTenant(run.tenant);
        try (SseClient stream = new SseClient(url("api/runs/" + run.runId + "/events?access_token=" + token), codec, Map.of())) {
            assertThat(stream.status(Duration.ofSeconds(10))).isEqualTo(200);
            assertThat(stream.awaitEnd(Duration.ofSeconds(10))).isTrue();
            assertThat(stream.events()).singleElement().satisfies(p -> assertThat(p.state()).isEqualTo(RunState.COMPLETED));
            assertThat(stream.lines()).anyMatch(line -> line.startsWith("retry:"));
        }
    }

    @Test
    void unknownRunIsAProblemNotAStream() {
        Tokens.as(TestRuns.TENANT).accept("text/event-stream").get("/api/runs/no-such-run/events")
                .then().statusCode(404).contentType(startsWith("application/problem+json"));
    }

    @Test
    void streamsNeedATokenAndAnotherTenantsRunIsNotFound() {
        TestRuns run = new TestRuns(codec, new TopicProbe(bootstrap), store, 2).requested();
        run.awaitProgress(p -> p.state() == RunState.QUEUED, Duration.ofSeconds(30));
        given().accept("text/event-stream").get("/api/runs/" + run.runId + "/events")
                .then().statusCode(401).contentType(startsWith("application/problem+json"))
                .body("type", equalTo("https://lumen.dev/problems/unauthorized"));
        given().accept("text/event-stream").get("/api/runs/events")
                .then().statusCode(401).contentType(startsWith("application/problem+json"));
        given().accept("text/event-stream")
                .get("/api/runs/" + run.runId + "/events?access_token=" + Tokens.expired(run.tenant))
                .then().statusCode(401).body("detail", containsString("expired"));
        Tokens.as("tenant-other").accept("text/event-stream").get("/api/runs/" + run.runId + "/events")
                .then().statusCode(404).contentType(startsWith("application/problem+json"));
    }

    private String url(String path) {
        return base.toString() + path;
    }
}
