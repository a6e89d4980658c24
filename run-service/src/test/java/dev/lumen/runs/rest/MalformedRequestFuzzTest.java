package dev.lumen.runs.rest;

import dev.lumen.runs.testing.TestData;
import dev.lumen.testing.Tokens;
import dev.lumen.service.storage.ObjectStore;
import dev.lumen.testing.LumenStackResource;
import dev.lumen.testing.ProblemFuzz;
import dev.lumen.testing.TopicProbe;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.response.Response;
import io.restassured.specification.RequestSpecification;
import jakarta.inject.Inject;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.Test;

import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;

import java.nio.charset.StandardCharsets;
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
 * Malformed, unauthorised and impossible requests of every kind, over every endpoint: each answers a 4xx
 * RFC 7807 problem (never a 5xx, never an empty or HTML body), and none of them puts anything on any
 * topic or in the bucket. Includes every front-door check of issue #15 (graph policy, archive entries,
 * parameters against the catalogue, graph and labels, JSON types, images decoded whole, token rules)
 * and what never reaches a resource (413, 414, 415, 431, multipart bodies cut short).
 */
@QuarkusTest
@QuarkusTestResource(value = LumenStackResource.class, restrictToAnnotatedClass = false)
class MalformedRequestFuzzTest {

    @Inject
    ObjectStore store;

    @ConfigProperty(name = "kafka.bootstrap.servers")
    String bootstrap;

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
        String labelled = "labelled-" + tenant;
        TestData.model(store, labelled, "classification", tenant, List.of("cat", "dog"));
        store.put("models/" + labelled + "/lumen-operations.txt", "image\nrelu4\nscores\n".getBytes(StandardCharsets.UTF_8),
                "text/plain");
        TopicProbe probe = new TopicProbe(bootstrap);
        Map<String, Long> before = TestData.settledEndOffsets(probe);
        List<String> objectsBefore = store.list("");

        String token = Tokens.forTenant(tenant);
        List<ProblemFuzz.Case> cases = new ArrayList<>();
        // ---- no or bad token
        cases.add(ProblemFuzz.http("no token: create", () -> given().contentType(ContentType.JSON).body(valid(model, dataset)).post("/api/runs")));
        cases.add(ProblemFuzz.http("no token: list", () -> given().get("/api/runs")));
        cases.add(ProblemFuzz.http("no token: show", () -> given().get("/api/runs/" + runId)));
        cases.add(ProblemFuzz.http("no token: cancel", () -> given().post("/api/runs/" + runId + "/cancel")));
        cases.add(ProblemFuzz.http("no token: delete", () -> given().delete("/api/runs/" + runId)));
        cases.add(ProblemFuzz.http("no token: datasets", () -> given().get("/api/datasets")));
        cases.add(ProblemFuzz.http("no token: upload", () -> given().contentType(ContentType.MULTIPART).multiPart("name", "x")
                .multiPart("files", "a.png", TestData.image("png", 4, 4), "image/png").post("/api/datasets")));
        cases.add(ProblemFuzz.http("expired token: create", () -> bearer(Tokens.expired(tenant)).contentType(ContentType.JSON)
                .body(valid(model, dataset)).post("/api/runs")));
        cases.add(ProblemFuzz.http("expired token: show", () -> bearer(Tokens.expired(tenant)).get("/api/runs/" + runId)));
        cases.add(ProblemFuzz.http("token signed by a stranger", () -> bearer(Tokens.signedByStranger(tenant)).get("/api/runs")));
        cases.add(ProblemFuzz.http("token from another issuer", () -> bearer(Tokens.fromIssuer("evil", tenant)).get("/api/runs")));
        cases.add(ProblemFuzz.http("token without tenant", () -> bearer(Tokens.withoutTenant()).get("/api/runs")));
        cases.add(ProblemFuzz.http("token with a bad tenant", () -> bearer(Tokens.withTenantClaim("a b/../c")).get("/api/runs")));
        cases.add(ProblemFuzz.http("token that is not a JWT", () -> bearer("not.a.jwt").get("/api/runs")));
        cases.add(ProblemFuzz.http("empty bearer", () -> given().header("Authorization", "Bearer ").get("/api/runs")));
        cases.add(ProblemFuzz.http("basic auth", () -> given().header("Authorization", "Basic dXNlcjpwYXNz").get("/api/runs")));
        cases.add(ProblemFuzz.http("tampered token", () -> bearer(token.substring(0, token.length() - 4) + "AAAA").get("/api/runs")));
        // ---- create: bad JSON, wrong types, missing fields, huge values, unknown ids
        cases.add(ProblemFuzz.http("bad JSON", () -> create(tenant, "{\"name\": ")));
        cases.add(ProblemFuzz.http("empty body", () -> create(tenant, "")));
        cases.add(ProblemFuzz.http("JSON array", () -> create(tenant, "[1,2,3]")));
        cases.add(ProblemFuzz.http("JSON string", () -> create(tenant, "\"run please\"")));
        cases.add(ProblemFuzz.http("JSON null", () -> create(tenant, "null")));
        cases.add(ProblemFuzz.http("imageCount as text", () -> create(tenant, with(model, dataset, "imageCount", "many"))));
        cases.add(ProblemFuzz.http("imageCount 0", () -> create(tenant, with(model, dataset, "imageCount", 0))));
        cases.add(ProblemFuzz.http("imageCount negative", () -> create(tenant, with(model, dataset, "imageCount", -1))));
        cases.add(ProblemFuzz.http("imageCount above the limit", () -> create(tenant, with(model, dataset, "imageCount", 100_001))));
        cases.add(ProblemFuzz.http("imageCount beyond int", () -> create(tenant, with(model, dataset, "imageCount", 99_999_999_999L))));
        cases.add(ProblemFuzz.http("imageCount fractional", () -> create(tenant, with(model, dataset, "imageCount", 2.5))));
        cases.add(ProblemFuzz.http("seed as text", () -> create(tenant, with(model, dataset, "seed", "abc"))));
        cases.add(ProblemFuzz.http("seed beyond long", () -> create(tenant, valid(model, dataset).replace("\"seed\":1", "\"seed\":1e30"))));
        cases.add(ProblemFuzz.http("misspelt field", () -> create(tenant, with(model, dataset, "seeed", 4))));
        cases.add(ProblemFuzz.http("name missing", () -> create(tenant, without(model, dataset, "name"))));
        cases.add(ProblemFuzz.http("name huge", () -> create(tenant, with(model, dataset, "name", "n".repeat(10_000)))));
        cases.add(ProblemFuzz.http("model missing", () -> create(tenant, without(model, dataset, "model"))));
        cases.add(ProblemFuzz.http("model path traversal", () -> create(tenant, with(model, dataset, "model", "../models/x"))));
        cases.add(ProblemFuzz.http("model as object", () -> create(tenant, with(model, dataset, "model", Map.of("id", model)))));
        cases.add(ProblemFuzz.http("dataset null", () -> create(tenant, with(model, dataset, "dataset", null))));
        cases.add(ProblemFuzz.http("method unknown", () -> create(tenant, with(model, dataset, "method", "telepathy"))));
        cases.add(ProblemFuzz.http("method huge", () -> create(tenant, with(model, dataset, "method", "m".repeat(10_000)))));
        cases.add(ProblemFuzz.http("parameters as array", () -> create(tenant, with(model, dataset, "parameters", List.of(1, 2)))));
        cases.add(ProblemFuzz.http("too many parameters", () -> create(tenant, with(model, dataset, "parameters", manyParameters()))));
        cases.add(ProblemFuzz.http("allowFewer as text", () -> create(tenant, with(model, dataset, "allowFewer", "yes"))));
        cases.add(ProblemFuzz.http("unknown model", () -> create(tenant, with(model, dataset, "model", "no-such-model"))));
        cases.add(ProblemFuzz.http("unknown dataset", () -> create(tenant, with(model, dataset, "dataset", "no-such-dataset"))));
        cases.add(ProblemFuzz.http("another tenant's model", () -> create(tenant, with(model, dataset, "model", otherModel))));
        cases.add(ProblemFuzz.http("another tenant's dataset", () -> create(other, with(otherModel, dataset, "name", "x"))));
        cases.add(ProblemFuzz.http("method does not fit the model", () -> create(tenant, with(detector, dataset, "method", "rise"))));
        cases.add(ProblemFuzz.http("dataset too small", () -> create(tenant, with(model, dataset, "imageCount", 4))));
        cases.add(ProblemFuzz.http("text/plain body", () -> Tokens.as(tenant).contentType(ContentType.TEXT).body("run it").post("/api/runs")));
        cases.add(ProblemFuzz.http("Idempotency-Key too long", () -> Tokens.as(tenant).contentType(ContentType.JSON)
                .header(IdempotencyKeys.HEADER, "k".repeat(300)).body(valid(model, dataset)).post("/api/runs")));
        cases.add(ProblemFuzz.http("Idempotency-Key with control characters", () -> Tokens.as(tenant).contentType(ContentType.JSON)
                .header(IdempotencyKeys.HEADER, "a\tb").body(valid(model, dataset)).post("/api/runs")));
        cases.add(ProblemFuzz.http("wrong HTTP method", () -> Tokens.as(tenant).contentType(ContentType.JSON).body(valid(model, dataset)).put("/api/runs")));
        // ---- list, show, cancel, delete
        cases.add(ProblemFuzz.http("page negative", () -> Tokens.as(tenant).queryParam("page", -1).get("/api/runs")));
        cases.add(ProblemFuzz.http("page not a number", () -> Tokens.as(tenant).queryParam("page", "abc").get("/api/runs")));
        cases.add(ProblemFuzz.http("size 0", () -> Tokens.as(tenant).queryParam("size", 0).get("/api/runs")));
        cases.add(ProblemFuzz.http("size huge", () -> Tokens.as(tenant).queryParam("size", 100_000).get("/api/runs")));
        cases.add(ProblemFuzz.http("unknown state", () -> Tokens.as(tenant).queryParam("state", "DONE").get("/api/runs")));
        cases.add(ProblemFuzz.http("unknown run", () -> Tokens.as(tenant).get("/api/runs/run-does-not-exist")));
        cases.add(ProblemFuzz.http("run id with odd characters", () -> Tokens.as(tenant).get("/api/runs/%20x%3Cscript%3E")));
        cases.add(ProblemFuzz.http("another tenant's run", () -> Tokens.as(other).get("/api/runs/" + runId)));
        cases.add(ProblemFuzz.http("cancel unknown run", () -> Tokens.as(tenant).post("/api/runs/run-nope/cancel")));
        cases.add(ProblemFuzz.http("cancel with bad JSON", () -> Tokens.as(tenant).contentType(ContentType.JSON).body("{reason")
                .post("/api/runs/" + runId + "/cancel")));
        cases.add(ProblemFuzz.http("cancel with a huge reason", () -> Tokens.as(tenant).contentType(ContentType.JSON)
                .body(Map.of("reason", "r".repeat(501))).post("/api/runs/" + runId + "/cancel")));
        cases.add(ProblemFuzz.http("cancel another tenant's run", () -> Tokens.as(other).post("/api/runs/" + runId + "/cancel")));
        cases.add(ProblemFuzz.http("delete unknown run", () -> Tokens.as(tenant).delete("/api/runs/run-nope")));
        cases.add(ProblemFuzz.http("delete another tenant's run", () -> Tokens.as(other).delete("/api/runs/" + runId)));
        cases.add(ProblemFuzz.http("delete a queued run", () -> Tokens.as(tenant).delete("/api/runs/" + runId)));
        // ---- datasets
        cases.add(ProblemFuzz.http("register without prefix", () -> Tokens.as(tenant).contentType(ContentType.JSON)
                .body(Map.of("name", "x")).post("/api/datasets")));
        cases.add(ProblemFuzz.http("register Lumen's own folder", () -> Tokens.as(tenant).contentType(ContentType.JSON)
                .body(Map.of("name", "x", "s3Prefix", "runs/")).post("/api/datasets")));
        cases.add(ProblemFuzz.http("register a traversal", () -> Tokens.as(tenant).contentType(ContentType.JSON)
                .body(Map.of("name", "x", "s3Prefix", "imports/" + tenant + "/../" + other + "/")).post("/api/datasets")));
        cases.add(ProblemFuzz.http("register another tenant's imports", () -> Tokens.as(tenant).contentType(ContentType.JSON)
                .body(Map.of("name", "x", "s3Prefix", "imports/" + other + "/")).post("/api/datasets")));
        cases.add(ProblemFuzz.http("register an empty prefix", () -> Tokens.as(tenant).contentType(ContentType.JSON)
                .body(Map.of("name", "x", "s3Prefix", "imports/" + tenant + "/nothing-here/")).post("/api/datasets")));
        cases.add(ProblemFuzz.http("upload without files", () -> Tokens.as(tenant).contentType(ContentType.MULTIPART)
                .multiPart("name", "x").post("/api/datasets")));
        cases.add(ProblemFuzz.http("upload without name", () -> Tokens.as(tenant).contentType(ContentType.MULTIPART)
                .multiPart("files", "a.png", TestData.image("png", 4, 4), "image/png").post("/api/datasets")));
        cases.add(ProblemFuzz.http("upload of a non-image", () -> Tokens.as(tenant).contentType(ContentType.MULTIPART)
                .multiPart("name", "x").multiPart("files", "a.png", "text".getBytes(StandardCharsets.UTF_8), "image/png")
                .post("/api/datasets")));
        cases.add(ProblemFuzz.http("datasets as text/plain", () -> Tokens.as(tenant).contentType(ContentType.TEXT).body("x").post("/api/datasets")));
        cases.add(ProblemFuzz.http("unknown dataset", () -> Tokens.as(tenant).get("/api/datasets/ds-nope")));
        cases.add(ProblemFuzz.http("another tenant's dataset", () -> Tokens.as(other).get("/api/datasets/" + dataset)));

        cases.addAll(badTokensOnEveryEndpoint(runId, dataset, model, valid(model, dataset)));
        cases.addAll(frontDoorChecks(tenant, model, labelled, dataset, valid(model, dataset)));
        cases.addAll(oversizedAndMalformedHttp(tenant, token, runId));

        assertThat(cases).hasSizeGreaterThanOrEqualTo(200);
        System.out.println("run-service fuzz: " + cases.size() + " malformed requests");
        List<String> failures = ProblemFuzz.failures(cases);
        assertThat(failures).as("requests that did not answer a 4xx problem").isEmpty();
        assertThat(TestData.settledEndOffsets(probe)).as("end offsets of every topic").isEqualTo(before);
        assertThat(store.list("")).as("every object in the bucket").isEqualTo(objectsBefore);
    }

    /** Every endpoint with every kind of bad token: missing, expired, unsigned, not yet valid, too long-lived. */
    private static List<ProblemFuzz.Case> badTokensOnEveryEndpoint(String runId, String dataset, String model, String run) {
        String tenant = "fuzz-tenant";
        Map<String, Supplier<String>> tokens = new LinkedHashMap<>();
        tokens.put("expired", () -> Tokens.expired(tenant));
        tokens.put("without exp", () -> Tokens.withoutExpiry(tenant));
        tokens.put("without iat", () -> Tokens.withoutIssuedAt(tenant));
        tokens.put("valid for 100 years", () -> Tokens.withLifetime(tenant, Duration.ofDays(36_500)));
        tokens.put("valid for 25 hours", () -> Tokens.withLifetime(tenant, Duration.ofHours(25)));
        tokens.put("issued in an hour", () -> Tokens.issuedAt(tenant, Instant.now().plusSeconds(3600)));
        tokens.put("not valid before an hour", () -> Tokens.notBefore(tenant, Instant.now().plusSeconds(3600)));
        tokens.put("signed by a stranger", () -> Tokens.signedByStranger(tenant));
        tokens.put("from another issuer", () -> Tokens.fromIssuer("evil", tenant));
        tokens.put("alg none", () -> unsigned(tenant));
        Map<String, java.util.function.Function<RequestSpecification, Response>> endpoints = new LinkedHashMap<>();
        endpoints.put("list runs", r -> r.get("/api/runs"));
        endpoints.put("create run", r -> r.contentType(ContentType.JSON).body(run).post("/api/runs"));
        endpoints.put("show run", r -> r.get("/api/runs/" + runId));
        endpoints.put("cancel run", r -> r.post("/api/runs/" + runId + "/cancel"));
        endpoints.put("delete run", r -> r.delete("/api/runs/" + runId));
        endpoints.put("list datasets", r -> r.get("/api/datasets"));
        endpoints.put("show dataset", r -> r.get("/api/datasets/" + dataset));
        endpoints.put("upload dataset", r -> r.contentType(ContentType.MULTIPART).multiPart("name", "x")
                .multiPart("files", "a.png", TestData.image("png", 4, 4), "image/png").post("/api/datasets"));
        endpoints.put("register dataset", r -> r.contentType(ContentType.JSON)
                .body(Map.of("name", "x", "s3Prefix", "imports/" + tenant + "/x/")).post("/api/datasets"));
        endpoints.put("list models", r -> r.get("/api/models"));
        endpoints.put("show model", r -> r.get("/api/models/" + model));
        endpoints.put("upload model", r -> r.contentType(ContentType.MULTIPART).multiPart("name", "x")
                .multiPart("archive", "m.zip", new byte[]{'P', 'K', 3, 4}, "application/zip").post("/api/models"));
        List<ProblemFuzz.Case> cases = new ArrayList<>();
        endpoints.forEach((endpoint, call) -> tokens.forEach((kind, token) ->
                cases.add(ProblemFuzz.http("token " + kind + ": " + endpoint, () -> call.apply(bearer(token.get()))))));
        return cases;
    }

    /** The checks issue #15 moved to the front door: graph policy, archive entries, parameters, JSON types, images. */
    private List<ProblemFuzz.Case> frontDoorChecks(String tenant, String model, String labelled, String dataset,
                                                   String run) {
        List<ProblemFuzz.Case> cases = new ArrayList<>();
        // ---- runs: JSON numbers are numbers; parameters against the catalogue, the graph and the labels
        cases.add(ProblemFuzz.http("imageCount as a numeric string", () -> create(tenant, with(model, dataset, "imageCount", "2"))));
        cases.add(ProblemFuzz.http("imageCount as an empty string", () -> create(tenant, with(model, dataset, "imageCount", ""))));
        cases.add(ProblemFuzz.http("imageCount as a boolean", () -> create(tenant, with(model, dataset, "imageCount", true))));
        cases.add(ProblemFuzz.http("imageCount as an array", () -> create(tenant, with(model, dataset, "imageCount", List.of(2)))));
        cases.add(ProblemFuzz.http("seed as a numeric string", () -> create(tenant, with(model, dataset, "seed", "7"))));
        cases.add(ProblemFuzz.http("seed fractional", () -> create(tenant, with(model, dataset, "seed", 1.5))));
        cases.add(ProblemFuzz.http("allowFewer as a string", () -> create(tenant, with(model, dataset, "allowFewer", "true"))));
        cases.add(ProblemFuzz.http("allowFewer as a number", () -> create(tenant, with(model, dataset, "allowFewer", 1))));
        cases.add(ProblemFuzz.http("name as a number", () -> create(tenant, with(model, dataset, "name", 5))));
        cases.add(ProblemFuzz.http("duplicate JSON field", () -> create(tenant, run.replace("\"seed\":1", "\"seed\":1,\"seed\":2"))));
        cases.add(ProblemFuzz.http("trailing garbage", () -> create(tenant, run + "}")));
        cases.add(ProblemFuzz.http("deeply nested parameters", () -> create(tenant, run.replace("\"seed\":1",
                "\"seed\":1,\"parameters\":" + "{\"a\":".repeat(2000) + "1" + "}".repeat(2000)))));
        Map<String, Object> badParameters = new LinkedHashMap<>();
        badParameters.put("metricSteps 100000", Map.of("metricSteps", 100_000));
        badParameters.put("metricSteps as a string", Map.of("metricSteps", "8"));
        badParameters.put("metrics as a string", Map.of("metrics", "true"));
        badParameters.put("metricSteps negative", Map.of("metricSteps", -1));
        badParameters.put("metricSteps NaN text", Map.of("metricSteps", "NaN"));
        badParameters.put("targetLayer no_such_layer", Map.of("targetLayer", "no_such_layer"));
        badParameters.put("targetLayer with an index of no layer", Map.of("targetLayer", "conv9:0"));
        badParameters.put("targetLayer as a number", Map.of("targetLayer", 3));
        badParameters.put("targetLayer blank", Map.of("targetLayer", " "));
        badParameters.put("targetLayer huge", Map.of("targetLayer", "l".repeat(5000)));
        badParameters.put("class not a label", Map.of("class", "zebra"));
        badParameters.put("class index out of range", Map.of("class", 7));
        badParameters.put("class negative", Map.of("class", -1));
        badParameters.put("masks with a gradient method", Map.of("masks", 100));
        badParameters.put("unknown parameter", Map.of("topK", 5));
        badParameters.put("parameter null", java.util.Collections.singletonMap("metricSteps", null));
        badParameters.forEach((name, parameters) -> cases.add(ProblemFuzz.http("parameters: " + name, () ->
                create(tenant, with(labelled, dataset, "parameters", parameters)))));
        cases.add(ProblemFuzz.http("rise p 1", () -> create(tenant, withMethod(labelled, dataset, "rise", Map.of("p", 1)))));
        cases.add(ProblemFuzz.http("rise p as a string", () -> create(tenant, withMethod(labelled, dataset, "rise", Map.of("p", "0.5")))));
        cases.add(ProblemFuzz.http("rise masks 0", () -> create(tenant, withMethod(labelled, dataset, "rise", Map.of("masks", 0)))));
        cases.add(ProblemFuzz.http("rise grid 1000", () -> create(tenant, withMethod(labelled, dataset, "rise", Map.of("grid", 1000)))));
        cases.add(ProblemFuzz.http("rise orthogonal with p 0.3", () -> create(tenant, withMethod(labelled, dataset, "rise",
                Map.of("sampling", "orthogonal", "p", 0.3)))));
        cases.add(ProblemFuzz.http("rise sampling unknown", () -> create(tenant, withMethod(labelled, dataset, "rise",
                Map.of("sampling", "random")))));
        cases.add(ProblemFuzz.http("rise batch as a string", () -> create(tenant, withMethod(labelled, dataset, "rise",
                Map.of("batch", "32")))));
        // ---- models: the worker's graph policy, archive entries, descriptors
        byte[] descriptor = MODEL_DESCRIPTOR.getBytes(StandardCharsets.UTF_8);
        for (String[] op : new String[][]{{"steal", "ReadFile"}, {"drop", "WriteFile"}, {"shell", "PyFunc"},
                {"glob", "MatchingFiles"}, {"tap", "DebugIdentity"}, {"remote", "RemoteCall"}, {"reader", "WholeFileReaderV2"},
                {"mapped", "ImmutableConst"}}) {
            cases.add(ProblemFuzz.http("model with a " + op[1] + " node", () -> uploadModel(tenant,
                    zip(Map.of("saved_model.pb", TestData.savedModelPb(op[0], op[1]))), descriptor)));
        }
        cases.add(ProblemFuzz.http("model whose saved_model.pb is not a protobuf", () -> uploadModel(tenant,
                zip(Map.of("saved_model.pb", "not a graph".getBytes(StandardCharsets.UTF_8))), descriptor)));
        cases.add(ProblemFuzz.http("model whose saved_model.pb is empty", () -> uploadModel(tenant,
                zip(Map.of("saved_model.pb", new byte[0])), descriptor)));
        for (byte type : new byte[]{TarArchiveEntry.LF_CHR, TarArchiveEntry.LF_BLK, TarArchiveEntry.LF_FIFO,
                TarArchiveEntry.LF_SYMLINK, TarArchiveEntry.LF_LINK}) {
            cases.add(ProblemFuzz.http("model tar with an entry of type " + (char) type, () -> uploadModel(tenant,
                    tarGz(TestData.savedModelPb(), type), descriptor)));
        }
        cases.add(ProblemFuzz.http("model descriptor naming a layer the graph lacks", () -> uploadModel(tenant,
                zip(Map.of("saved_model.pb", TestData.savedModelPb())),
                MODEL_DESCRIPTOR.replace("relu4", "relu9").getBytes(StandardCharsets.UTF_8))));
        cases.add(ProblemFuzz.http("model descriptor that is not JSON", () -> uploadModel(tenant,
                zip(Map.of("saved_model.pb", TestData.savedModelPb())), "{".getBytes(StandardCharsets.UTF_8))));
        cases.add(ProblemFuzz.http("model without archive", () -> Tokens.as(tenant).contentType(ContentType.MULTIPART)
                .multiPart("name", "m").post("/api/models")));
        cases.add(ProblemFuzz.http("model with a name of 300 characters", () -> Tokens.as(tenant).contentType(ContentType.MULTIPART)
                .multiPart("name", "m".repeat(300)).multiPart("archive", "m.zip", zip(Map.of("saved_model.pb",
                        TestData.savedModelPb())), "application/zip").post("/api/models")));
        cases.add(ProblemFuzz.http("model as JSON", () -> Tokens.as(tenant).contentType(ContentType.JSON)
                .body("{\"name\":\"m\"}").post("/api/models")));
        cases.add(ProblemFuzz.http("unknown model", () -> Tokens.as(tenant).get("/api/models/mdl-nope")));
        cases.add(ProblemFuzz.http("model id with odd characters", () -> Tokens.as(tenant).get("/api/models/%00%0a")));
        // ---- datasets: images decoded whole; a dataset with no usable image is refused
        Map<String, byte[]> damaged = new LinkedHashMap<>();
        damaged.put("truncated.png", TestData.truncatedPng());
        damaged.put("bad-crc.png", TestData.badCrcPng());
        damaged.put("colour-type-5.png", TestData.pngWithHeader(8, 5));
        damaged.put("bit-depth-3.png", TestData.pngWithHeader(3, 2));
        damaged.put("truncated.jpg", TestData.truncatedJpeg());
        damaged.put("header-only.png", java.util.Arrays.copyOf(TestData.image("png", 8, 8), 33));
        damaged.put("empty.png", new byte[0]);
        damaged.forEach((file, bytes) -> cases.add(ProblemFuzz.http("dataset of one damaged image: " + file, () ->
                Tokens.as(tenant).contentType(ContentType.MULTIPART).multiPart("name", "damaged")
                        .multiPart("files", file, bytes, "application/octet-stream").post("/api/datasets"))));
        cases.add(ProblemFuzz.http("dataset of damaged images only", () -> {
            RequestSpecification request = Tokens.as(tenant).contentType(ContentType.MULTIPART).multiPart("name", "all bad");
            for (Map.Entry<String, byte[]> file : damaged.entrySet()) {
                request = request.multiPart("files", file.getKey(), file.getValue(), "application/octet-stream");
            }
            return request.post("/api/datasets");
        }));
        cases.add(ProblemFuzz.http("dataset with a name of 300 characters", () -> Tokens.as(tenant).contentType(ContentType.MULTIPART)
                .multiPart("name", "d".repeat(300)).multiPart("files", "a.png", TestData.image("png", 4, 4), "image/png")
                .post("/api/datasets")));
        cases.add(ProblemFuzz.http("register with s3Prefix as a number", () -> Tokens.as(tenant).contentType(ContentType.JSON)
                .body("{\"name\":\"x\",\"s3Prefix\":5}").post("/api/datasets")));
        cases.add(ProblemFuzz.http("register with an unknown field", () -> Tokens.as(tenant).contentType(ContentType.JSON)
                .body("{\"name\":\"x\",\"s3Prefix\":\"imports/" + tenant + "/a/\",\"recursive\":true}").post("/api/datasets")));
        // ---- methods (public) and paths nobody serves
        cases.add(ProblemFuzz.http("methods for an unknown task", () -> given().queryParam("task", "telepathy").get("/api/methods")));
        cases.add(ProblemFuzz.http("methods with POST", () -> given().contentType(ContentType.JSON).body("{}").post("/api/methods")));
        cases.add(ProblemFuzz.http("unknown API path", () -> Tokens.as(tenant).get("/api/nothing-here")));
        cases.add(ProblemFuzz.http("unknown root path", () -> given().get("/nothing-here")));
        cases.add(ProblemFuzz.http("too deep a run path", () -> Tokens.as(tenant).get("/api/runs/a/b/c/d")));
        cases.add(ProblemFuzz.http("DELETE on datasets", () -> Tokens.as(tenant).delete("/api/datasets")));
        cases.add(ProblemFuzz.http("PATCH on a run", () -> Tokens.as(tenant).contentType(ContentType.JSON).body("{}")
                .patch("/api/runs/run-x")));
        return cases;
    }

    /** 413, 414, 415, 431 and bodies that cannot be decoded: what never reaches a resource. */
    private static List<ProblemFuzz.Case> oversizedAndMalformedHttp(String tenant, String token, String runId) {
        List<ProblemFuzz.Case> cases = new ArrayList<>();
        String auth = "Authorization: Bearer " + token;
        String longId = "r".repeat(10_000);
        cases.add(ProblemFuzz.http("414: a 10 KB run id", () -> Tokens.as(tenant).get("/api/runs/" + longId)));
        cases.add(ProblemFuzz.http("414: a 10 KB query", () -> Tokens.as(tenant).queryParam("model", longId).get("/api/runs")));
        cases.add(ProblemFuzz.http("414: a 10 KB dataset id", () -> Tokens.as(tenant).get("/api/datasets/" + longId)));
        cases.add(ProblemFuzz.http("414: a 10 KB path without token", () -> given().get("/api/models/" + longId)));
        cases.add(ProblemFuzz.http("414: a 30 KB query on methods", () -> given().queryParam("task", "t".repeat(30_000))
                .get("/api/methods")));
        cases.add(ProblemFuzz.raw("414: a 60 KB request line", () -> ProblemFuzz.head("GET /api/runs?x=" + "y".repeat(60_000)
                + " HTTP/1.1", auth)));
        cases.add(ProblemFuzz.http("431: a 100 KB header", () -> Tokens.as(tenant).header("X-Padding", "p".repeat(100_000))
                .get("/api/runs")));
        cases.add(ProblemFuzz.http("431: 200 headers of 200 bytes", () -> {
            RequestSpecification request = Tokens.as(tenant);
            for (int i = 0; i < 200; i++) {
                request = request.header("X-H" + i, "v".repeat(200));
            }
            return request.get("/api/datasets");
        }));
        cases.add(ProblemFuzz.http("431: a 50 KB bearer token", () -> bearer("a".repeat(50_000)).get("/api/runs")));
        cases.add(ProblemFuzz.raw("413: a declared 5 GB dataset upload", () -> ProblemFuzz.head("POST /api/datasets HTTP/1.1",
                auth, "Content-Type: multipart/form-data; boundary=XYZ", "Content-Length: 5000000000")));
        cases.add(ProblemFuzz.raw("413: a declared 2 GB run request", () -> ProblemFuzz.head("POST /api/runs HTTP/1.1",
                auth, "Content-Type: application/json", "Content-Length: 2000000000")));
        cases.add(ProblemFuzz.raw("413: a declared 2 GB model upload without token", () -> ProblemFuzz.head(
                "POST /api/models HTTP/1.1", "Content-Type: multipart/form-data; boundary=XYZ", "Content-Length: 2000000000")));
        cases.add(ProblemFuzz.http("415: XML run request", () -> Tokens.as(tenant).contentType(ContentType.XML)
                .body("<run/>").post("/api/runs")));
        cases.add(ProblemFuzz.http("415: form-encoded run request", () -> Tokens.as(tenant).contentType(ContentType.URLENC)
                .formParam("name", "x").post("/api/runs")));
        cases.add(ProblemFuzz.http("415: JSON model upload", () -> Tokens.as(tenant).contentType(ContentType.JSON)
                .body("{}").post("/api/models")));
        cases.add(ProblemFuzz.http("415: binary dataset upload", () -> Tokens.as(tenant).contentType(ContentType.BINARY)
                .body(new byte[]{1, 2, 3}).post("/api/datasets")));
        cases.add(ProblemFuzz.http("415: no content type", () -> Tokens.as(tenant).body(new byte[]{'{', '}'}).post("/api/runs")));
        // Multipart bodies that end early or are not multipart at all.
        String part = "--XYZ\r\nContent-Disposition: form-data; name=\"name\"\r\n\r\nds\r\n"
                + "--XYZ\r\nContent-Disposition: form-data; name=\"files\"; filename=\"a.png\"\r\n"
                + "Content-Type: image/png\r\n\r\n";
        Map<String, String> multiparts = new LinkedHashMap<>();
        multiparts.put("no closing boundary", part + "PNGDATA");
        multiparts.put("cut inside the part headers", "--XYZ\r\nContent-Disposition: form-da");
        multiparts.put("only the opening boundary", "--XYZ\r\n");
        multiparts.put("another boundary than declared", part.replace("XYZ", "ABC") + "x\r\n--ABC--\r\n");
        multiparts.put("no boundary lines at all", "just some bytes");
        multiparts.put("a part without a name", "--XYZ\r\nContent-Disposition: form-data\r\n\r\nx\r\n--XYZ--\r\n");
        multiparts.put("empty body", "");
        for (String path : List.of("/api/datasets", "/api/models")) {
            multiparts.forEach((name, body) -> cases.add(ProblemFuzz.raw("multipart " + name + ": " + path, () -> {
                byte[] bytes = body.getBytes(StandardCharsets.ISO_8859_1);
                return ProblemFuzz.concat(ProblemFuzz.head("POST " + path + " HTTP/1.1", auth,
                        "Content-Type: multipart/form-data; boundary=XYZ", "Content-Length: " + bytes.length), bytes);
            })));
        }
        cases.add(ProblemFuzz.raw("multipart without a boundary parameter", () -> {
            byte[] bytes = (part + "x\r\n--XYZ--\r\n").getBytes(StandardCharsets.ISO_8859_1);
            return ProblemFuzz.concat(ProblemFuzz.head("POST /api/datasets HTTP/1.1", auth,
                    "Content-Type: multipart/form-data", "Content-Length: " + bytes.length), bytes);
        }));
        cases.add(ProblemFuzz.raw("body shorter than its Content-Length", () -> {
            byte[] bytes = "{\"name\":".getBytes(StandardCharsets.ISO_8859_1);
            return ProblemFuzz.concat(ProblemFuzz.head("POST /api/runs HTTP/1.1", auth, "Content-Type: application/json",
                    "Content-Length: " + bytes.length), bytes);
        }));
        cases.add(ProblemFuzz.raw("cancel with a body that is not UTF-8 JSON", () -> {
            byte[] bytes = {(byte) 0xff, (byte) 0xfe, 0, 1};
            return ProblemFuzz.concat(ProblemFuzz.head("POST /api/runs/" + runId + "/cancel HTTP/1.1", auth,
                    "Content-Type: application/json", "Content-Length: " + bytes.length), bytes);
        }));
        return cases;
    }

    /** A token with {@code alg: none} and no signature. */
    private static String unsigned(String tenant) {
        java.util.Base64.Encoder url = java.util.Base64.getUrlEncoder().withoutPadding();
        long now = Instant.now().getEpochSecond();
        return url.encodeToString("{\"alg\":\"none\"}".getBytes(StandardCharsets.UTF_8)) + "."
                + url.encodeToString(("{\"iss\":\"lumen\",\"tenant\":\"" + tenant + "\",\"iat\":" + now + ",\"exp\":"
                + (now + 600) + "}").getBytes(StandardCharsets.UTF_8)) + ".";
    }

    private static Response uploadModel(String tenant, byte[] archive, byte[] descriptor) {
        return Tokens.as(tenant).contentType(ContentType.MULTIPART).multiPart("name", "fuzz")
                .multiPart("archive", "model.bin", archive, "application/octet-stream")
                .multiPart("descriptor", "lumen-model.json", descriptor, "application/json")
                .post("/api/models");
    }

    private static byte[] zip(Map<String, byte[]> files) {
        java.io.ByteArrayOutputStream bytes = new java.io.ByteArrayOutputStream();
        try (java.util.zip.ZipOutputStream zip = new java.util.zip.ZipOutputStream(bytes)) {
            for (Map.Entry<String, byte[]> file : files.entrySet()) {
                zip.putNextEntry(new java.util.zip.ZipEntry(file.getKey()));
                zip.write(file.getValue());
                zip.closeEntry();
            }
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
        return bytes.toByteArray();
    }

    /** A .tar.gz holding {@code savedModel} and one entry {@code variables/odd} of tar type {@code type}. */
    private static byte[] tarGz(byte[] savedModel, byte type) {
        java.io.ByteArrayOutputStream bytes = new java.io.ByteArrayOutputStream();
        try (TarArchiveOutputStream tar = new TarArchiveOutputStream(new java.util.zip.GZIPOutputStream(bytes))) {
            TarArchiveEntry graph = new TarArchiveEntry("saved_model.pb");
            graph.setSize(savedModel.length);
            tar.putArchiveEntry(graph);
            tar.write(savedModel);
            tar.closeArchiveEntry();
            TarArchiveEntry odd = new TarArchiveEntry("variables/odd", type);
            if (type == TarArchiveEntry.LF_SYMLINK || type == TarArchiveEntry.LF_LINK) {
                odd.setLinkName("saved_model.pb");
            }
            tar.putArchiveEntry(odd);
            tar.closeArchiveEntry();
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
        return bytes.toByteArray();
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

    private static String withMethod(String model, String dataset, String method, Map<String, Object> parameters) {
        Map<String, Object> body = body(model, dataset);
        body.put("method", method);
        body.put("parameters", parameters);
        return json(body);
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

    private static final String MODEL_DESCRIPTOR = """
            {"task": "classification", "labels": ["h", "v", "d"],
             "input": {"signatureKey": "serving_default", "tensor": "image", "width": 96, "height": 96},
             "outputs": {"scores": "scores", "logits": "logits"}, "targetLayer": "relu4"}
            """;

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

}
