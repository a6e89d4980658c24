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

    /**
     * Stands in for a serialized SavedModel: not a real graph, only bytes holding the names the
     * descriptor refers to (run-service's graph check is a byte search, see ModelDescriptorCheck).
     */
    private static final byte[] SAVED_MODEL_PB = ("\n\u0002\u0008\u0001 fake saved model: serving_default image:0 "
            + "scores logits relu4").getBytes(StandardCharsets.UTF_8);
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
                .body("files", equalTo(3))
                .extract().path("modelId");

        assertThat(store.list("models/" + modelId + "/")).containsExactlyInAnyOrder(
                "models/" + modelId + "/saved_model.pb", "models/" + modelId + "/variables/variables.index",
                "models/" + modelId + "/lumen-model.json", "models/" + modelId + "/digest.json");
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
        upload(tenant, "inside", tarGz(files, null), "model.tar.gz", null)
                .then().statusCode(201).body("files", equalTo(3)).body("labels", hasSize(3));
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

        refused(tenant, tarGz(model(""), "variables/link"), "model.tar.gz", DESCRIPTOR, "archive-link", "symbolic link");

        Map<String, byte[]> noGraph = model("");
        noGraph.remove("saved_model.pb");
        refused(tenant, zip(noGraph), "model.zip", DESCRIPTOR, "missing-saved-model", "saved_model.pb");

        refused(tenant, "not an archive".getBytes(StandardCharsets.UTF_8), "model.zip", DESCRIPTOR, "archive-format", "archive");

        assertThat(store.list("models/")).containsExactlyInAnyOrderElementsOf(before);
        Tokens.as(tenant).when().get("/api/models").then().statusCode(200).body("", hasSize(0));
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

    /** A .tar.gz of {@code files}, plus a symbolic link to /etc/passwd named {@code symlink} when given. */
    private static byte[] tarGz(Map<String, byte[]> files, String symlink) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (TarArchiveOutputStream tar = new TarArchiveOutputStream(new GZIPOutputStream(bytes))) {
            for (Map.Entry<String, byte[]> file : files.entrySet()) {
                TarArchiveEntry entry = new TarArchiveEntry(file.getKey());
                entry.setSize(file.getValue().length);
                tar.putArchiveEntry(entry);
                tar.write(file.getValue());
                tar.closeArchiveEntry();
            }
            if (symlink != null) {
                TarArchiveEntry link = new TarArchiveEntry(symlink, TarArchiveEntry.LF_SYMLINK);
                link.setLinkName("/etc/passwd");
                tar.putArchiveEntry(link);
                tar.closeArchiveEntry();
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return bytes.toByteArray();
    }
}
