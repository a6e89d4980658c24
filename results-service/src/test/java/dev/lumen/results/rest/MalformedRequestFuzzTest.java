package dev.lumen.results.rest;

import dev.lumen.contracts.EventCodec;
import dev.lumen.contracts.Topics;
import dev.lumen.results.TestRuns;
import dev.lumen.service.storage.ObjectStore;
import dev.lumen.testing.LumenStackResource;
import dev.lumen.testing.ProblemFuzz;
import dev.lumen.testing.Tokens;
import dev.lumen.testing.TopicProbe;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.response.Response;
import io.restassured.specification.RequestSpecification;
import jakarta.inject.Inject;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Malformed, unauthorised and impossible requests over every results-service endpoint: each answers a
 * 4xx RFC 7807 problem (never a 5xx, an empty body or HTML), query parameters are checked like
 * run-service's (400 naming the parameter), and none of the requests changes a topic or the bucket.
 */
@QuarkusTest
@QuarkusTestResource(value = LumenStackResource.class, restrictToAnnotatedClass = false)
class MalformedRequestFuzzTest {

    private static final String OWNER = "fuzz-owner";
    private static final String OTHER = "fuzz-other";

    @Inject
    ObjectStore store;

    @Inject
    EventCodec codec;

    @ConfigProperty(name = "kafka.bootstrap.servers")
    String bootstrap;

    @Test
    void everyMalformedRequestIsA4xxProblemAndChangesNothing() throws InterruptedException {
        TopicProbe probe = new TopicProbe(bootstrap);
        TestRuns run = new TestRuns(codec, probe, store, 2, OWNER).requested();
        run.publish(run.explained("a.png", TestRuns.cls("cat", 0.9)));
        run.publish(run.explained("b.png", TestRuns.cls("dog", 0.6)));
        run.awaitProgress(p -> p.state().terminal(), Duration.ofSeconds(30));
        List<String> topics = Topics.ALL.stream().map(Topics.TopicSpec::name).toList();
        Map<String, Long> before = probe.settledEndOffsets(topics);
        List<String> objectsBefore = store.list("");

        List<ProblemFuzz.Case> cases = new ArrayList<>();
        cases.addAll(badTokensOnEveryEndpoint(run.runId));
        cases.addAll(badQueries(run.runId));
        cases.addAll(unknownAndForeign(run.runId));
        cases.addAll(oversizedAndMisdirected(run.runId));

        assertThat(cases).hasSizeGreaterThanOrEqualTo(100);
        System.out.println("results-service fuzz: " + cases.size() + " malformed requests");
        assertThat(ProblemFuzz.failures(cases)).as("requests that did not answer a 4xx problem").isEmpty();
        assertThat(probe.settledEndOffsets(topics)).as("end offsets of every topic").isEqualTo(before);
        assertThat(store.list("")).as("every object in the bucket").isEqualTo(objectsBefore);
    }

    @Test
    void badQueryParametersAnswer400NamingTheParameterAsRunServiceDoes() {
        TestRuns run = new TestRuns(codec, new TopicProbe(bootstrap), store, 1, OWNER).requested();
        run.publish(run.explained("a.png", TestRuns.cls("cat", 0.9)));
        run.awaitProgress(p -> p.state().terminal(), Duration.ofSeconds(30));
        String results = "/api/runs/" + run.runId + "/results";
        Map<String, String> parameters = new LinkedHashMap<>();
        parameters.put("page", "abc");
        parameters.put("size", "ten");
        for (Map.Entry<String, String> parameter : parameters.entrySet()) {
            Tokens.as(OWNER).queryParam(parameter.getKey(), parameter.getValue()).get(results).then().statusCode(400)
                    .contentType(org.hamcrest.Matchers.startsWith("application/problem+json"))
                    .body("type", org.hamcrest.Matchers.equalTo("https://lumen.dev/problems/validation"))
                    .body("errors[0].field", org.hamcrest.Matchers.equalTo(parameter.getKey()))
                    .body("detail", org.hamcrest.Matchers.containsString("must be an integer"));
        }
        Tokens.as(OWNER).queryParam("images", "maybe").get("/api/runs/" + run.runId + "/insights").then().statusCode(400)
                .body("errors[0].field", org.hamcrest.Matchers.equalTo("images"));
        Tokens.as(OWNER).queryParam("page", "0").queryParam("size", "5").get(results).then().statusCode(200);
        Tokens.as(OWNER).queryParam("images", "true").get("/api/runs/" + run.runId + "/insights").then().statusCode(200);
    }

    /** Every API path of a run, and the ones that are not about one run. */
    private static Map<String, String> endpoints(String runId) {
        String base = "/api/runs/" + runId;
        Map<String, String> paths = new LinkedHashMap<>();
        paths.put("list runs", "/api/runs");
        paths.put("run", base);
        paths.put("progress", base + "/progress");
        paths.put("results", base + "/results");
        paths.put("one result", base + "/results/a.png");
        paths.put("insights", base + "/insights");
        paths.put("export", base + "/export");
        paths.put("comparable", base + "/comparable");
        paths.put("overlay", base + "/images/a.png/overlay-0.png");
        paths.put("original", base + "/images/a.png/original");
        paths.put("run events", base + "/events");
        paths.put("all events", "/api/runs/events");
        paths.put("comparison", "/api/comparisons?a=" + runId + "&b=" + runId);
        return paths;
    }

    private static List<ProblemFuzz.Case> badTokensOnEveryEndpoint(String runId) {
        Map<String, Supplier<RequestSpecification>> tokens = new LinkedHashMap<>();
        tokens.put("no token", () -> given());
        tokens.put("expired", () -> bearer(Tokens.expired(OWNER)));
        tokens.put("without exp", () -> bearer(Tokens.withoutExpiry(OWNER)));
        tokens.put("without iat", () -> bearer(Tokens.withoutIssuedAt(OWNER)));
        tokens.put("valid for 100 years", () -> bearer(Tokens.withLifetime(OWNER, Duration.ofDays(36_500))));
        tokens.put("issued in an hour", () -> bearer(Tokens.issuedAt(OWNER, Instant.now().plusSeconds(3600))));
        tokens.put("not valid before an hour", () -> bearer(Tokens.notBefore(OWNER, Instant.now().plusSeconds(3600))));
        tokens.put("signed by a stranger", () -> bearer(Tokens.signedByStranger(OWNER)));
        tokens.put("from another issuer", () -> bearer(Tokens.fromIssuer("evil", OWNER)));
        tokens.put("without tenant", () -> bearer(Tokens.withoutTenant()));
        tokens.put("not a JWT", () -> bearer("not.a.jwt"));
        List<ProblemFuzz.Case> cases = new ArrayList<>();
        endpoints(runId).forEach((endpoint, path) -> tokens.forEach((kind, request) ->
                cases.add(ProblemFuzz.http(kind + ": " + endpoint, () -> request.get().get(path)))));
        return cases;
    }

    private static List<ProblemFuzz.Case> badQueries(String runId) {
        String results = "/api/runs/" + runId + "/results";
        Map<String, Map<String, Object>> queries = new LinkedHashMap<>();
        queries.put("page not a number", Map.of("page", "abc"));
        queries.put("page fractional", Map.of("page", "1.5"));
        queries.put("page negative", Map.of("page", -1));
        queries.put("page beyond int", Map.of("page", "99999999999"));
        queries.put("size not a number", Map.of("size", "ten"));
        queries.put("size 0", Map.of("size", 0));
        queries.put("size huge", Map.of("size", 100_000));
        queries.put("outcome unknown", Map.of("outcome", "exploded"));
        queries.put("error unknown", Map.of("error", "false-positive"));
        queries.put("error huge", Map.of("error", "e".repeat(5000)));
        queries.put("sort unknown", Map.of("sort", "vibes"));
        queries.put("order unknown", Map.of("order", "sideways"));
        queries.put("label huge", Map.of("label", "l".repeat(5000)));
        List<ProblemFuzz.Case> cases = new ArrayList<>();
        queries.forEach((name, query) -> cases.add(ProblemFuzz.http("results " + name, () ->
                Tokens.as(OWNER).queryParams(query).get(results))));
        cases.add(ProblemFuzz.http("insights images=maybe", () -> Tokens.as(OWNER).queryParam("images", "maybe")
                .get("/api/runs/" + runId + "/insights")));
        cases.add(ProblemFuzz.http("insights images=1", () -> Tokens.as(OWNER).queryParam("images", "1")
                .get("/api/runs/" + runId + "/insights")));
        cases.add(ProblemFuzz.http("comparison without b", () -> Tokens.as(OWNER).queryParam("a", runId).get("/api/comparisons")));
        cases.add(ProblemFuzz.http("comparison without runs", () -> Tokens.as(OWNER).get("/api/comparisons")));
        cases.add(ProblemFuzz.http("comparison with an unknown run", () -> Tokens.as(OWNER).queryParam("a", runId)
                .queryParam("b", "run-nope").get("/api/comparisons")));
        cases.add(ProblemFuzz.http("comparison with another tenant's run", () -> Tokens.as(OTHER).queryParam("a", runId)
                .queryParam("b", runId).get("/api/comparisons")));
        cases.add(ProblemFuzz.http("comparison sorted by nonsense", () -> Tokens.as(OWNER).queryParam("a", runId)
                .queryParam("b", runId).queryParam("sort", "nonsense").get("/api/comparisons")));
        cases.add(ProblemFuzz.http("comparison with odd ids", () -> Tokens.as(OWNER).queryParam("a", "../x")
                .queryParam("b", "<script>").get("/api/comparisons")));
        return cases;
    }

    private static List<ProblemFuzz.Case> unknownAndForeign(String runId) {
        List<ProblemFuzz.Case> cases = new ArrayList<>();
        endpoints(runId).forEach((endpoint, path) -> {
            if (path.contains(runId) && !path.startsWith("/api/comparisons") && !path.endsWith("/events")) {
                cases.add(ProblemFuzz.http("another tenant: " + endpoint, () -> Tokens.as(OTHER).get(path)));
                cases.add(ProblemFuzz.http("unknown run: " + endpoint, () -> Tokens.as(OWNER)
                        .get(path.replace(runId, "run-does-not-exist"))));
            }
        });
        String base = "/api/runs/" + runId;
        cases.add(ProblemFuzz.http("events of an unknown run", () -> Tokens.as(OWNER).get("/api/runs/run-nope/events")));
        cases.add(ProblemFuzz.http("run id with odd characters", () -> Tokens.as(OWNER).get("/api/runs/%20x%3Cscript%3E")));
        cases.add(ProblemFuzz.http("unknown image", () -> Tokens.as(OWNER).get(base + "/results/nope.png")));
        cases.add(ProblemFuzz.http("image id with odd characters", () -> Tokens.as(OWNER).get(base + "/results/%2e%2e%2fx")));
        cases.add(ProblemFuzz.http("unknown map file", () -> Tokens.as(OWNER).get(base + "/images/a.png/secrets.txt")));
        cases.add(ProblemFuzz.http("map of an unknown target", () -> Tokens.as(OWNER).get(base + "/images/a.png/overlay-9.png")));
        cases.add(ProblemFuzz.http("map with a traversal", () -> Tokens.as(OWNER).get(base + "/images/..%2F..%2Fetc/overlay-0.png")));
        cases.add(ProblemFuzz.http("original of an unknown image", () -> Tokens.as(OWNER).get(base + "/images/zzz.png/original")));
        cases.add(ProblemFuzz.http("unknown API path", () -> Tokens.as(OWNER).get("/api/nothing-here")));
        cases.add(ProblemFuzz.http("too deep a run path", () -> Tokens.as(OWNER).get(base + "/a/b/c/d/e")));
        return cases;
    }

    private static List<ProblemFuzz.Case> oversizedAndMisdirected(String runId) {
        String base = "/api/runs/" + runId;
        String auth = "Authorization: Bearer " + Tokens.forTenant(OWNER);
        List<ProblemFuzz.Case> cases = new ArrayList<>();
        String longId = "r".repeat(10_000);
        cases.add(ProblemFuzz.http("414: a 10 KB run id", () -> Tokens.as(OWNER).get("/api/runs/" + longId)));
        cases.add(ProblemFuzz.http("414: a 10 KB label", () -> Tokens.as(OWNER).queryParam("label", longId).get(base + "/results")));
        cases.add(ProblemFuzz.http("414: a 10 KB path without token", () -> given().get("/api/runs/" + longId + "/insights")));
        cases.add(ProblemFuzz.raw("414: a 60 KB request line", () -> ProblemFuzz.head("GET " + base + "/results?label="
                + "y".repeat(60_000) + " HTTP/1.1", auth)));
        cases.add(ProblemFuzz.http("431: a 100 KB header", () -> Tokens.as(OWNER).header("X-Padding", "p".repeat(100_000))
                .get(base)));
        cases.add(ProblemFuzz.http("431: a 50 KB bearer token", () -> bearer("a".repeat(50_000)).get("/api/runs")));
        cases.add(ProblemFuzz.raw("413: a declared 2 GB body", () -> ProblemFuzz.head("POST /api/runs HTTP/1.1", auth,
                "Content-Type: application/json", "Content-Length: 2000000000")));
        for (String method : List.of("POST", "PUT", "DELETE", "PATCH")) {
            // DELETE of a run is run-service's, which results-service forwards for the web UI (decision 0030).
            if (!method.equals("DELETE")) {
                cases.add(ProblemFuzz.http(method + " on a run", () -> send(Tokens.as(OWNER).contentType(ContentType.JSON)
                        .body("{}"), method, base)));
            }
            cases.add(ProblemFuzz.http(method + " on results", () -> send(Tokens.as(OWNER).contentType(ContentType.JSON)
                    .body("{}"), method, base + "/results")));
        }
        cases.add(ProblemFuzz.http("JSON asked of a PNG", () -> Tokens.as(OWNER).accept(ContentType.JSON)
                .get(base + "/images/a.png/overlay-0.png")));
        cases.add(ProblemFuzz.http("XML asked of results", () -> Tokens.as(OWNER).accept(ContentType.XML).get(base + "/results")));
        return cases;
    }

    private static Response send(RequestSpecification request, String method, String path) {
        return switch (method) {
            case "POST" -> request.post(path);
            case "PUT" -> request.put(path);
            case "DELETE" -> request.delete(path);
            default -> request.patch(path);
        };
    }

    private static RequestSpecification bearer(String token) {
        return given().header("Authorization", "Bearer " + token);
    }
}
