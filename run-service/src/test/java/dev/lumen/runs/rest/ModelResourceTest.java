package dev.lumen.runs.rest;

import dev.lumen.runs.testing.TestData;
import dev.lumen.testing.Tokens;
import dev.lumen.service.storage.ObjectStore;
import dev.lumen.testing.LumenStackResource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.specification.RequestSpecification;
import jakarta.inject.Inject;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.zip.GZIPOutputStream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.hasSize;
import static org.hamcrest.Matchers.startsWith;

/**
 * The model registry over REST against the real S3 server: a valid upload is stored with its digest,
 * listed, shown and usable by a run; unsafe or inconsistent archives are refused with a problem naming
 * the reason and nothing is stored.
 */
@QuarkusTest
@QuarkusTestResource(value = LumenStackResource.class, restrictToAnnotatedClass = false)
class ModelResourceTest {

    /** A real saved_model.pb (graph only, no weights): run-service parses it and vets its operations. */
    private static final byte[] SAVED_MODEL_PB = TestData.savedModelPb();
    private static final String DESCRIPTOR = """
            {"task": "classification", "labels": ["h", "v", "d"],
             "input": {"signatureKey": "serving_default", "tensor": "image", "width": 96, "height": 96},
             "outputs": {"scores": "scores", "logits": "logits"}, "targetLayer": "relu4"}
            """;

    @Inject
    ObjectStore store;

    @Test
    void aValidUploadIsStoredWithItsDigestListedShownAndUsableByARun() {
        String tenant = TestData.tenant();
        Map<String, byte[]> files = model("squares/");
        String modelId = upload(tenant, "squares", zip(files), "model.zip", DESCRIPTOR)
                .then().statusCode(201)
                .header("Location", containsString("/api/models/mdl-"))
                .body("name", equalTo("squares"))
                .body("task", equalTo("classification"))
                .body("labels", hasSize(3))
                .body("input.tensor", equalTo("image"))
                .body("contentDigest", startsWith("sha256:"))
                .body("files", equalTo(4))
                .extract().path("modelId");

        assertThat(store.list("models/" + modelId + "/")).containsExactlyInAnyOrder(
                "models/" + modelId + "/saved_model.pb", "models/" + modelId + "/variables/variables.index",
                "models/" + modelId + "/lumen-model.json", "models/" + modelId + "/digest.json",
                "models/" + modelId + "/" + dev.lumen.runs.storage.ModelRegistry.OPERATIONS_FILE);
        assertThat(new String(store.get("models/" + modelId + "/lumen-operations.txt").orElseThrow(), StandardCharsets.UTF_8)
                .lines().toList()).containsExactly("image", "logits", "relu4", "scores");
        assertThat(new String(store.get("models/" + modelId + "/digest.json").orElseThrow(), StandardCharsets.UTF_8))
                .contains("\"tenant\" : \"" + tenant + "\"", "saved_model.pb", "contentDigest");

        Tokens.as(tenant).when().get("/api/models").then().statusCode(200)
                .body("modelId", hasItem(modelId)).body("", hasSize(1));
        Tokens.as(tenant).when().get("/api/models/" + modelId).then().statusCode(200)
                .body("name", equalTo("squares")).body("sizeBytes", org.hamcrest.Matchers.greaterThan(0))
                .body("createdAt", org.hamcrest.Matchers.notNullValue());
        Tokens.as(TestData.tenant()).when().get("/api/models/" + modelId).then().statusCode(404)
                .contentType(startsWith("application/problem+json"));
        Tokens.as(TestData.tenant()).when().get("/api/models").then().statusCode(200).body("", hasSize(0));
        io.restassured.RestAssured.given().when().get("/api/models").then().statusCode(401)
                .contentType(startsWith("application/problem+json"));

        String datasetId = TestData.dataset(tenant, "two", 2);
        Tokens.as(tenant).contentType(ContentType.JSON).body(Map.of("name", "on an uploaded model", "model", modelId,
                        "dataset", datasetId, "method", "gradcam", "imageCount", 2))
                .when().post("/api/runs").then().statusCode(202).body("imageCount", equalTo(2));

        // targetLayer is checked against the graph's operations at the front door.
        Tokens.as(tenant).contentType(ContentType.JSON).body(Map.of("name", "no such layer", "model", modelId,
                        "dataset", datasetId, "method", "gradcam", "imageCount", 2,
                        "parameters", Map.of("targetLayer", "no_such_layer")))
                .when().post("/api/runs").then().statusCode(400)
                .contentType(startsWith("application/problem+json"))
                .body("errors[0].field", equalTo("parameters.targetLayer"))
                .body("detail", containsString("no_such_layer"));
        Tokens.as(tenant).contentType(ContentType.JSON).body(Map.of("name", "named layer", "model", modelId,
                        "dataset", datasetId, "method", "gradcam", "imageCount", 2,
                        "parameters", Map.of("targetLayer", "relu4:0")))
                .when().post("/api/runs").then().statusCode(202);
    }

    @Test
    void aModelIsDeletedUnlessARunOfItIsInProgress() {
        String tenant = TestData.tenant();
        String modelId = upload(tenant, "to delete", zip(model("")), "model.zip", DESCRIPTOR)
                .then().statusCode(201).extract().path("modelId");
        String datasetId = TestData.dataset(tenant, "one", 1);
        String runId = Tokens.as(tenant).contentType(ContentType.JSON).body(Map.of("name", "keeps it", "model", modelId,
                        "dataset", datasetId, "method", "gradcam", "imageCount", 1))
                .when().post("/api/runs").then().statusCode(202).extract().path("runId");

        // No worker or results-service here: the run stays queued, so the model is in use.
        Tokens.as(tenant).when().delete("/api/models/" + modelId).then().statusCode(409)
                .contentType(startsWith("application/problem+json"))
                .body("type", org.hamcrest.Matchers.endsWith("/model-in-use")).body("detail", containsString(runId));
        assertThat(store.list("models/" + modelId + "/")).isNotEmpty();
        Tokens.as(TestData.tenant()).when().delete("/api/models/" + modelId).then().statusCode(404);

        Tokens.as(tenant).when().post("/api/runs/" + runId + "/cancel").then().statusCode(202);
        Tokens.as(tenant).when().delete("/api/models/" + modelId).then().statusCode(204);
        assertThat(store.list("models/" + modelId + "/")).isEmpty();
        Tokens.as(tenant).when().get("/api/models/" + modelId).then().statusCode(404);
        Tokens.as(tenant).when().get("/api/models").then().statusCode(200).body("", hasSize(0));
        Tokens.as(tenant).when().delete("/api/models/" + modelId).then().statusCode(404);
    }

    @Test
    void aTarGzWithTheDescriptorInsideIsAccepted() {
        String tenant = TestData.tenant();
        Map<String, byte[]> files = model("");
        files.put("lumen-model.json", DESCRIPTOR.getBytes(StandardCharsets.UTF_8));
        // An operations list in the archive is replaced by the graph's own: it would let any targetLayer pass.
        files.put("lumen-operations.txt", "no_such_layer\n".getBytes(StandardCharsets.UTF_8));
        String modelId = upload(tenant, "inside", tarGz(files, null), "model.tar.gz", null)
                .then().statusCode(201).body("files", equalTo(4)).body("labels", hasSize(3))
                .extract().path("modelId");
        assertThat(new String(store.get("models/" + modelId + "/lumen-operations.txt").orElseThrow(), StandardCharsets.UTF_8))
                .isEqualTo("image\nlogits\nrelu4\nscores\n");
    }

    @Test
    void unsafeOrInconsistentArchivesAreRefusedAndNothingIsStored() {
        String tenant = TestData.tenant();
        List<String> before = store.list("models/");

        Map<String, byte[]> traversal = model("");
        traversal.put("../escape.txt", new byte[]{1});
        refused(tenant, zip(traversal), "model.zip", DESCRIPTOR, "archive-path-traversal", "'../escape.txt'");

        Map<String, byte[]> bomb = model("");
        bomb.put("variables/variables.data-00000-of-00001", new byte[64 * 1024 * 1024]);
        refused(tenant, zip(bomb), "model.zip", DESCRIPTOR, "archive-compression-ratio", "zip bomb");

        refused(tenant, zip(model("")), "model.zip", null, "missing-descriptor", "lumen-model.json");

        refused(tenant, zip(model("")), "model.zip", DESCRIPTOR.replace("\"tensor\": \"image\"", "\"tensor\": \"pixels\""),
                "descriptor-contradicts-graph", "input.tensor");

        refused(tenant, zip(model("")), "model.zip", DESCRIPTOR.replace("\"labels\": [\"h\", \"v\", \"d\"],", ""),
                "invalid-descriptor", "labels");

        refused(tenant, tarGz(model(""), symlinkToPasswd("variables/link")), "model.tar.gz", DESCRIPTOR, "archive-link", "symbolic link");

        Map<String, byte[]> noGraph = model("");
        noGraph.remove("saved_model.pb");
        refused(tenant, zip(noGraph), "model.zip", DESCRIPTOR, "missing-saved-model", "saved_model.pb");

        refused(tenant, "not an archive".getBytes(StandardCharsets.UTF_8), "model.zip", DESCRIPTOR, "archive-format", "archive");

        Map<String, byte[]> readsFiles = model("");
        readsFiles.put("saved_model.pb", TestData.savedModelPb("steal", "ReadFile"));
        upload(tenant, "bad", zip(readsFiles), "model.zip", DESCRIPTOR).then().statusCode(422)
                .contentType(startsWith("application/problem+json"))
                .body("type", equalTo("https://lumen.dev/problems/graph-operation-refused"))
                .body("detail", containsString("ReadFile"))
                .body("detail", containsString("'steal'"))
                .body("errors[0].field", equalTo("archive"))
                .body("errors[0].message", containsString("operation ReadFile in node 'steal'"));

        Map<String, byte[]> shell = model("m/");
        shell.put("m/saved_model.pb", TestData.savedModelPb("run", "PyFunc"));
        refused(tenant, tarGz(shell, null), "model.tar.gz", DESCRIPTOR, "graph-operation-refused", "PyFunc");

        Map<String, byte[]> notProtobuf = model("");
        notProtobuf.put("saved_model.pb", new byte[]{(byte) 0xff, (byte) 0xff, 7});
        refused(tenant, zip(notProtobuf), "model.zip", DESCRIPTOR, "invalid-saved-model", "saved_model.pb");

        refused(tenant, zip(model("")), "model.zip", DESCRIPTOR.replace("\"targetLayer\": \"relu4\"", "\"targetLayer\": \"relu\""),
                "descriptor-contradicts-graph", "targetLayer");

        refused(tenant, tarGz(model(""), new TarArchiveEntry("variables/null", TarArchiveEntry.LF_CHR)), "model.tar.gz", DESCRIPTOR, "archive-entry-type",
                "'variables/null' is neither a file nor a folder");

        Map<String, byte[]> detector = model("");
        detector.put("saved_model.pb", TestData.detectorSavedModelPb(1, 100, 6));
        String layout = """
                {"task": "detection", "labels": ["cat", "dog"],
                 "input": {"tensor": "image", "width": 512, "height": 512},
                 "outputs": {"detections": "detections"}, "detection": %s}
                """;
        refused(tenant, zip(detector), "model.zip", layout.formatted("{\"preset\": \"packed\", \"score\": 6, \"class\": 7}"),
                "descriptor-contradicts-graph", "detection.score needs column 6, beyond the rows' 6 columns");
        refused(tenant, zip(detector), "model.zip", layout.formatted("{\"preset\": \"yolov5\"}"),
                "descriptor-contradicts-graph", "detection.classScores");
        refused(tenant, zip(detector), "model.zip", layout.formatted("{\"preset\": \"yolo\"}"),
                "invalid-descriptor", "detection.preset must be one of");

        String grouped = """
                {"task": "attributes", "input": {"tensor": "image", "width": 512, "height": 512},
                 "outputs": {"heads": "detections"},
                 "groups": [{"name": "gender", "output": "%s", "decoder": "softmax", "labels": ["male", "female"]}]}
                """;
        refused(tenant, zip(detector), "model.zip", grouped.formatted("age"),
                "invalid-descriptor", "groups[0].output names output 'age', which is not in outputs");
        refused(tenant, zip(detector), "model.zip", grouped.formatted("heads"),
                "descriptor-contradicts-graph", "groups[0].labels has 2 entries but the head of group gender (output 'heads',"
                        + " shape [1, 100, 6]) has 600 values per image");

        assertThat(store.list("models/")).containsExactlyInAnyOrderElementsOf(before);
        Tokens.as(tenant).when().get("/api/models").then().statusCode(200).body("", hasSize(0));

        // The same detector with a layout its outputs can hold is registered.
        upload(tenant, "centernet-like", zip(detector), "model.zip", layout.formatted("{\"preset\": \"packed\"}"))
                .then().statusCode(201);
    }

    private static Map<String, byte[]> model(String folder) {
        Map<String, byte[]> files = new LinkedHashMap<>();
        files.put(folder + "saved_model.pb", SAVED_MODEL_PB);
        files.put(folder + "variables/variables.index", new byte[]{0, 1, 2, 3});
        return files;
    }

    private static void refused(String tenant, byte[] archive, String fileName, String descriptor, String kind, String reason) {
        upload(tenant, "bad", archive, fileName, descriptor)
                .then().statusCode(422)
                .contentType(startsWith("application/problem+json"))
                .body("type", equalTo("https://lumen.dev/problems/" + kind))
                .body("detail", containsString(reason));
    }

    private static io.restassured.response.Response upload(String tenant, String name, byte[] archive, String fileName,
                                                           String descriptor) {
        RequestSpecification request = Tokens.as(tenant).contentType(ContentType.MULTIPART)
                .multiPart("name", name)
                .multiPart("archive", fileName, archive, "application/octet-stream");
        if (descriptor != null) {
            request = request.multiPart("descriptor", "lumen-model.json", descriptor.getBytes(StandardCharsets.UTF_8),
                    "application/json");
        }
        return request.when().post("/api/models");
    }

    private static byte[] zip(Map<String, byte[]> files) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (ZipOutputStream zip = new ZipOutputStream(bytes)) {
            for (Map.Entry<String, byte[]> file : files.entrySet()) {
                zip.putNextEntry(new ZipEntry(file.getKey()));
                zip.write(file.getValue());
                zip.closeEntry();
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return bytes.toByteArray();
    }

    /** A .tar.gz of {@code files}, plus {@code extra} (a link, a device) when given. */
    private static byte[] tarGz(Map<String, byte[]> files, TarArchiveEntry extra) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (TarArchiveOutputStream tar = new TarArchiveOutputStream(new GZIPOutputStream(bytes))) {
            for (Map.Entry<String, byte[]> file : files.entrySet()) {
                TarArchiveEntry entry = new TarArchiveEntry(file.getKey());
                entry.setSize(file.getValue().length);
                tar.putArchiveEntry(entry);
                tar.write(file.getValue());
                tar.closeArchiveEntry();
            }
            if (extra != null) {
                tar.putArchiveEntry(extra);
                tar.closeArchiveEntry();
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return bytes.toByteArray();
    }

    private static TarArchiveEntry symlinkToPasswd(String name) {
        TarArchiveEntry link = new TarArchiveEntry(name, TarArchiveEntry.LF_SYMLINK);
        link.setLinkName("/etc/passwd");
        return link;
    }
}
