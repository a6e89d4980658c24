package dev.lumen.runs.rest;

import dev.lumen.runs.testing.TestData;
import dev.lumen.testing.Tokens;
import dev.lumen.service.storage.ObjectStore;
import dev.lumen.testing.LumenStackResource;
import dev.lumen.testing.TopicProbe;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.response.Response;
import io.restassured.specification.RequestSpecification;
import jakarta.inject.Inject;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Malformed, unauthorised and impossible requests of every kind: each answers a 4xx RFC 7807 problem
 * (never a 5xx, never an empty or HTML body), and none of them puts anything on any topic.
 */
@QuarkusTest
@QuarkusTestResource(value = LumenStackResource.class, restrictToAnnotatedClass = false)
class MalformedRequestFuzzTest {

    @Inject
    ObjectStore store;

    @ConfigProperty(name = "kafka.bootstrap.servers")
    String bootstrap;

    private record Case(String name, Supplier<Response> call) {
    }

    @Test
    void everyMalformedRequestIsA4xxProblemAndReachesNoTopic() throws InterruptedException {
        String tenant = TestData.tenant();
        String other = TestData.tenant();
        String model = "cls-" + tenant;
        String detector = "det-" + tenant;
        String otherModel = "cls-" + other;
        TestData.model(store, model, "classification", tenant);
        TestData.model(store, detector, "detection", tenant);
        TestData.model(store, otherModel, "classification", other);
        String dataset = TestData.dataset(tenant, "three", 3);
        // One real run, so that other tenants can try to reach it; then the topics must settle.
        String runId = Tokens.as(tenant).contentType(ContentType.JSON).body(valid(model, dataset))
                .when().post("/api/runs").then().statusCode(202).extract().path("runId");
        TopicProbe probe = new TopicProbe(bootstrap);
        Map<String, Long> before = TestData.settledEndOffsets(probe);

        String token = Tokens.forTenant(tenant);
        List<Case> cases = new ArrayList<>();
        // ---- no or bad token
        cases.add(new Case("no token: create", () -> given().contentType(ContentType.JSON).body(valid(model, dataset)).post("/api/runs")));
        cases.add(new Case("no token: list", () -> given().get("/api/runs")));
        cases.add(new Case("no token: show", () -> given().get("/api/runs/" + runId)));
        cases.add(new Case("no token: cancel", () -> given().post("/api/runs/" + runId + "/cancel")));
        cases.add(new Case("no token: delete", () -> given().delete("/api/runs/" + runId)));
        cases.add(new Case("no token: datasets", () -> given().get("/api/datasets")));
        cases.add(new Case("no token: upload", () -> given().contentType(ContentType.MULTIPART).multiPart("name", "x")
                .multiPart("files", "a.png", TestData.image("png", 4, 4), "image/png").post("/api/datasets")));
        cases.add(new Case("expired token: create", () -> bearer(Tokens.expired(tenant)).contentType(ContentType.JSON)
                .body(valid(model, dataset)).post("/api/runs")));
        cases.add(new Case("expired token: show", () -> bearer(Tokens.expired(tenant)).get("/api/runs/" + runId)));
        cases.add(new Case("token signed by a stranger", () -> bearer(Tokens.signedByStranger(tenant)).get("/api/runs")));
        cases.add(new Case("token from another issuer", () -> bearer(Tokens.fromIssuer("evil", tenant)).get("/api/runs")));
        cases.add(new Case("token without tenant", () -> bearer(Tokens.withoutTenant()).get("/api/runs")));
        cases.add(new Case("token with a bad tenant", () -> bearer(Tokens.withTenantClaim("a b/../c")).get("/api/runs")));
        cases.add(new Case("token that is not a JWT", () -> bearer("not.a.jwt").get("/api/runs")));
        cases.add(new Case("empty bearer", () -> given().header("Authorization", "Bearer ").get("/api/runs")));
        cases.add(new Case("basic auth", () -> given().header("Authorization", "Basic dXNlcjpwYXNz").get("/api/runs")));
        cases.add(new Case("tampered token", () -> bearer(token.substring(0, token.length() - 4) + "AAAA").get("/api/runs")));
        // ---- create: bad JSON, wrong types, missing fields, huge values, unknown ids
        cases.add(new Case("bad JSON", () -> create(tenant, "{\"name\": ")));
        cases.add(new Case("empty body", () -> create(tenant, "")));
        cases.add(new Case("JSON array", () -> create(tenant, "[1,2,3]")));
        cases.add(new Case("JSON string", () -> create(tenant, "\"run please\"")));
        cases.add(new Case("JSON null", () -> create(tenant, "null")));
        cases.add(new Case("imageCount as text", () -> create(tenant, with(model, dataset, "imageCount", "many"))));
        cases.add(new Case("imageCount 0", () -> create(tenant, with(model, dataset, "imageCount", 0))));
        cases.add(new Case("imageCount negative", () -> create(tenant, with(model, dataset, "imageCount", -1))));
        cases.add(new Case("imageCount above the limit", () -> create(tenant, with(model, dataset, "imageCount", 100_001))));
        cases.add(new Case("imageCount beyond int", () -> create(tenant, with(model, dataset, "imageCount", 99_999_999_999L))));
        cases.add(new Case("imageCount fractional", () -> create(tenant, with(model, dataset, "imageCount", 2.5))));
        cases.add(new Case("seed as text", () -> create(tenant, with(model, dataset, "seed", "abc"))));
        cases.add(new Case("seed beyond long", () -> create(tenant, valid(model, dataset).replace("\"seed\":1", "\"seed\":1e30"))));
        cases.add(new Case("misspelt field", () -> create(tenant, with(model, dataset, "seeed", 4))));
        cases.add(new Case("name missing", () -> create(tenant, without(model, dataset, "name"))));
        cases.add(new Case("name huge", () -> create(tenant, with(model, dataset, "name", "n".repeat(10_000)))));
        cases.add(new Case("model missing", () -> create(tenant, without(model, dataset, "model"))));
        cases.add(new Case("model path traversal", () -> create(tenant, with(model, dataset, "model", "../models/x"))));
        cases.add(new Case("model as object", () -> create(tenant, with(model, dataset, "model", Map.of("id", model)))));
        cases.add(new Case("dataset null", () -> create(tenant, with(model, dataset, "dataset", null))));
        cases.add(new Case("method unknown", () -> create(tenant, with(model, dataset, "method", "telepathy"))));
        cases.add(new Case("method huge", () -> create(tenant, with(model, dataset, "method", "m".repeat(10_000)))));
        cases.add(new Case("parameters as array", () -> create(tenant, with(model, dataset, "parameters", List.of(1, 2)))));
        cases.add(new Case("too many parameters", () -> create(tenant, with(model, dataset, "parameters", manyParameters()))));
        cases.add(new Case("allowFewer as text", () -> create(tenant, with(model, dataset, "allowFewer", "yes"))));
        cases.add(new Case("unknown model", () -> create(tenant, with(model, dataset, "model", "no-such-model"))));
        cases.add(new Case("unknown dataset", () -> create(tenant, with(model, dataset, "dataset", "no-such-dataset"))));
        cases.add(new Case("another tenant's model", () -> create(tenant, with(model, dataset, "model", otherModel))));
        cases.add(new Case("another tenant's dataset", () -> create(other, with(otherModel, dataset, "name", "x"))));
        cases.add(new Case("method does not fit the model", () -> create(tenant, with(detector, dataset, "method", "gradcam"))));
        cases.add(new Case("dataset too small", () -> create(tenant, with(model, dataset, "imageCount", 4))));
        cases.add(new Case("text/plain body", () -> Tokens.as(tenant).contentType(ContentType.TEXT).body("run it").post("/api/runs")));
        cases.add(new Case("Idempotency-Key too long", () -> Tokens.as(tenant).contentType(ContentType.JSON)
                .header(IdempotencyKeys.HEADER, "k".repeat(300)).body(valid(model, dataset)).post("/api/runs")));
        cases.add(new Case("Idempotency-Key with control characters", () -> Tokens.as(tenant).contentType(ContentType.JSON)
                .header(IdempotencyKeys.HEADER, "a\tb").body(valid(model, dataset)).post("/api/runs")));
        cases.add(new Case("wrong HTTP method", () -> Tokens.as(tenant).contentType(ContentType.JSON).body(valid(model, dataset)).put("/api/runs")));
        // ---- list, show, cancel, delete
        cases.add(new Case("page negative", () -> Tokens.as(tenant).queryParam("page", -1).get("/api/runs")));
        cases.add(new Case("page not a number", () -> Tokens.as(tenant).queryParam("page", "abc").get("/api/runs")));
        cases.add(new Case("size 0", () -> Tokens.as(tenant).queryParam("size", 0).get("/api/runs")));
        cases.add(new Case("size huge", () -> Tokens.as(tenant).queryParam("size", 100_000).get("/api/runs")));
        cases.add(new Case("unknown state", () -> Tokens.as(tenant).queryParam("state", "DONE").get("/api/runs")));
        cases.add(new Case("unknown run", () -> Tokens.as(tenant).get("/api/runs/run-does-not-exist")));
        cases.add(new Case("run id with odd characters", () -> Tokens.as(tenant).get("/api/runs/%20x%3Cscript%3E")));
        cases.add(new Case("another tenant's run", () -> Tokens.as(other).get("/api/runs/" + runId)));
        cases.add(new Case("cancel unknown run", () -> Tokens.as(tenant).post("/api/runs/run-nope/cancel")));
        cases.add(new Case("cancel with bad JSON", () -> Tokens.as(tenant).contentType(ContentType.JSON).body("{reason")
                .post("/api/runs/" + runId + "/cancel")));
        cases.add(new Case("cancel with a huge reason", () -> Tokens.as(tenant).contentType(ContentType.JSON)
                .body(Map.of("reason", "r".repeat(501))).post("/api/runs/" + runId + "/cancel")));
        cases.add(new Case("cancel another tenant's run", () -> Tokens.as(other).post("/api/runs/" + runId + "/cancel")));
        cases.add(new Case("delete unknown run", () -> Tokens.as(tenant).delete("/api/runs/run-nope")));
        cases.add(new Case("delete another tenant's run", () -> Tokens.as(other).delete("/api/runs/" + runId)));
        cases.add(new Case("delete a queued run", () -> Tokens.as(tenant).delete("/api/runs/" + runId)));
        // ---- datasets
        cases.add(new Case("register without prefix", () -> Tokens.as(tenant).contentType(ContentType.JSON)
                .body(Map.of("name", "x")).post("/api/datasets")));
        cases.add(new Case("register Lumen's own folder", () -> Tokens.as(tenant).contentType(ContentType.JSON)
                .body(Map.of("name", "x", "s3Prefix", "runs/")).post("/api/datasets")));
        cases.add(new Case("register a traversal", () -> Tokens.as(tenant).contentType(ContentType.JSON)
                .body(Map.of("name", "x", "s3Prefix", "imports/" + tenant + "/../" + other + "/")).post("/api/datasets")));
        cases.add(new Case("register another tenant's imports", () -> Tokens.as(tenant).contentType(ContentType.JSON)
                .body(Map.of("name", "x", "s3Prefix", "imports/" + other + "/")).post("/api/datasets")));
        cases.add(new Case("register an empty prefix", () -> Tokens.as(tenant).contentType(ContentType.JSON)
                .body(Map.of("name", "x", "s3Prefix", "imports/" + tenant + "/nothing-here/")).post("/api/datasets")));
        cases.add(new Case("upload without files", () -> Tokens.as(tenant).contentType(ContentType.MULTIPART)
                .multiPart("name", "x").post("/api/datasets")));
        cases.add(new Case("upload without name", () -> Tokens.as(tenant).contentType(ContentType.MULTIPART)
                .multiPart("files", "a.png", TestData.image("png", 4, 4), "image/png").post("/api/datasets")));
        cases.add(new Case("upload of a non-image", () -> Tokens.as(tenant).contentType(ContentType.MULTIPART)
                .multiPart("name", "x").multiPart("files", "a.png", "text".getBytes(StandardCharsets.UTF_8), "image/png")
                .post("/api/datasets")));
        cases.add(new Case("datasets as text/plain", () -> Tokens.as(tenant).contentType(ContentType.TEXT).body("x").post("/api/datasets")));
        cases.add(new Case("unknown dataset", () -> Tokens.as(tenant).get("/api/datasets/ds-nope")));
        cases.add(new Case("another tenant's dataset", () -> Tokens.as(other).get("/api/datasets/" + dataset)));

        assertThat(cases).hasSizeGreaterThanOrEqualTo(50);
        List<String> failures = new ArrayList<>();
        for (Case c : cases) {
            Response response = c.call().get();
            int status = response.statusCode();
            String contentType = response.contentType();
            String type = status >= 400 && contentType != null && contentType.startsWith("application/problem+json")
                    ? response.jsonPath().getString("type") : null;
            Integer bodyStatus = type == null ? null : response.jsonPath().getInt("status");
            if (status < 400 || status >= 500 || type == null || !type.startsWith("https://lumen.dev/problems/")
                    || bodyStatus == null || bodyStatus != status) {
                failures.add(c.name() + ": " + status + " " + contentType + " " + abbreviate(response.asString()));
            }
        }
        assertThat(failures).as("requests that did not answer a 4xx problem").isEmpty();
        assertThat(TestData.settledEndOffsets(probe)).as("end offsets of every topic").isEqualTo(before);
    }

    private static RequestSpecification bearer(String token) {
        return given().header("Authorization", "Bearer " + token);
    }

    private static Response create(String tenant, String json) {
        return Tokens.as(tenant).contentType(ContentType.JSON).body(json).post("/api/runs");
    }

    private static String valid(String model, String dataset) {
        return "{\"name\":\"fuzz\",\"model\":\"" + model + "\",\"dataset\":\"" + dataset
                + "\",\"method\":\"gradcam\",\"imageCount\":2,\"seed\":1}";
    }

    private static String with(String model, String dataset, String field, Object value) {
        Map<String, Object> body = body(model, dataset);
        body.put(field, value);
        return json(body);
    }

    private static String without(String model, String dataset, String field) {
        Map<String, Object> body = body(model, dataset);
        body.remove(field);
        return json(body);
    }

    private static Map<String, Object> body(String model, String dataset) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("name", "fuzz");
        body.put("model", model);
        body.put("dataset", dataset);
        body.put("method", "gradcam");
        body.put("imageCount", 2);
        body.put("seed", 1);
        return body;
    }

    private static Map<String, Object> manyParameters() {
        Map<String, Object> parameters = new LinkedHashMap<>();
        for (int i = 0; i < 60; i++) {
            parameters.put("p" + i, i);
        }
        return parameters;
    }

    private static String json(Map<String, Object> body) {
        try {
            return new com.fasterxml.jackson.databind.ObjectMapper().writeValueAsString(body);
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    private static String abbreviate(String body) {
        return body.length() > 300 ? body.substring(0, 300) + "..." : body;
    }
}
