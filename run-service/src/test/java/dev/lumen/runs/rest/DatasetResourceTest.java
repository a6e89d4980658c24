package dev.lumen.runs.rest;

import dev.lumen.runs.storage.DatasetCatalog;
import dev.lumen.runs.testing.TestData;
import dev.lumen.testing.Tokens;
import dev.lumen.service.storage.ObjectStore;
import dev.lumen.testing.LumenStackResource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import jakarta.inject.Inject;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.zip.Deflater;
import java.util.zip.CRC32;

import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsInAnyOrder;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.hasSize;
import static org.hamcrest.Matchers.startsWith;

/** Datasets over REST against the real S3 server: uploads, checks, ground truth, registration, tenants. */
@QuarkusTest
@QuarkusTestResource(value = LumenStackResource.class, restrictToAnnotatedClass = false)
class DatasetResourceTest {

    private static final String COCO = """
            {
              "images": [
                {"id": 1, "file_name": "val/cat.png", "width": 40, "height": 30, "tags": ["indoor"]},
                {"id": 2, "file_name": "dog.jpg", "width": 40, "height": 30},
                {"id": 3, "file_name": "plain.bmp", "width": 40, "height": 30, "attributes": {"blurry": true}},
                {"id": 4, "file_name": "not-uploaded.png", "width": 40, "height": 30}
              ],
              "categories": [{"id": 1, "name": "cat"}, {"id": 2, "name": "dog"}, {"id": 3, "name": "bird"}],
              "annotations": [
                {"id": 10, "image_id": 1, "category_id": 1, "bbox": [2, 3, 20, 15], "area": 300, "iscrowd": 0},
                {"id": 11, "image_id": 2, "category_id": 2, "segmentation": [[1, 1, 20, 1, 20, 20, 1, 20]]},
                {"id": 12, "image_id": 2, "category_id": 2, "segmentation": {"counts": [5, 10, 1185], "size": [30, 40]}, "iscrowd": 1}
              ]
            }
            """;

    @Inject
    ObjectStore store;

    @Test
    void anUploadKeepsTheGoodImagesReportsTheBadOnesAndCountsTheGroundTruth() {
        String tenant = TestData.tenant();
        String datasetId = Tokens.as(tenant).contentType(ContentType.MULTIPART)
                .multiPart("name", "mixed bag")
                .multiPart("files", "cat.png", TestData.image("png", 40, 30), "image/png")
                .multiPart("files", "dog.jpg", TestData.image("jpeg", 40, 30), "image/jpeg")
                .multiPart("files", "plain.bmp", TestData.image("bmp", 40, 30), "image/bmp")
                .multiPart("files", "notes.png", "just text".getBytes(StandardCharsets.UTF_8), "image/png")
                .multiPart("files", "bomb.png", bomb(100_000, 100_000), "image/png")
                .multiPart("files", "picture.tiff", TestData.image("png", 8, 8), "image/tiff")
                .multiPart("files", "../escape.png", TestData.image("png", 8, 8), "image/png")
                .multiPart("groundTruth", "instances.json", COCO.getBytes(StandardCharsets.UTF_8), "application/json")
                .when().post("/api/datasets")
                .then().statusCode(201)
                .header("Location", containsString("/api/datasets/ds-"))
                .body("name", equalTo("mixed bag"))
                .body("counts.images", equalTo(4))
                .body("counts.annotatedImages", equalTo(3))
                .body("counts.classes", equalTo(3))
                .body("groundTruth", equalTo(true))
                .body("rejected.file", containsInAnyOrder("notes.png", "bomb.png", "picture.tiff"))
                .body("rejected.find { it.file == 'bomb.png' }.reason", containsString("pixels"))
                .extract().path("datasetId");

        // ../escape.png is stored under its base name only: nothing leaves the dataset's folder.
        assertThat(store.list(DatasetCatalog.imagesPrefix(datasetId))).containsExactly(
                DatasetCatalog.imagesPrefix(datasetId) + "cat.png", DatasetCatalog.imagesPrefix(datasetId) + "dog.jpg",
                DatasetCatalog.imagesPrefix(datasetId) + "escape.png", DatasetCatalog.imagesPrefix(datasetId) + "plain.bmp");
        assertThat(new String(store.get(DatasetCatalog.groundTruthKey(datasetId)).orElseThrow(), StandardCharsets.UTF_8))
                .isEqualTo(COCO);
        assertThat(new String(store.get(DatasetCatalog.descriptorKey(datasetId)).orElseThrow(), StandardCharsets.UTF_8))
                .contains("\"tenant\":\"" + tenant + "\"", "\"name\":\"mixed bag\"");

        Tokens.as(tenant).when().get("/api/datasets/" + datasetId)
                .then().statusCode(200).body("counts.images", equalTo(4)).body("counts.classes", equalTo(3));
        Tokens.as(tenant).when().get("/api/datasets")
                .then().statusCode(200).body("datasetId", hasItem(datasetId)).body("", hasSize(1));
        Tokens.as(TestData.tenant()).when().get("/api/datasets/" + datasetId)
                .then().statusCode(404).contentType(startsWith("application/problem+json"));
        Tokens.as(TestData.tenant()).when().get("/api/datasets").then().statusCode(200).body("", hasSize(0));

        // A run can use it right away.
        TestData.model(store, "m-" + tenant, "classification", tenant);
        Tokens.as(tenant).contentType(ContentType.JSON).body(Map.of("name", "on upload", "model", "m-" + tenant,
                        "dataset", datasetId, "method", "gradcam", "imageCount", 4))
                .when().post("/api/runs").then().statusCode(202).body("imageCount", equalTo(4));
    }

    @Test
    void invalidGroundTruthIsReportedAndTheImagesAreKept() {
        String tenant = TestData.tenant();
        Tokens.as(tenant).contentType(ContentType.MULTIPART)
                .multiPart("name", "bad truth")
                .multiPart("files", "a.png", TestData.image("png", 10, 10), "image/png")
                .multiPart("groundTruth", "gt.json", ("{\"images\":[{\"id\":1,\"file_name\":\"a.png\"}],\"categories\":[],"
                        + "\"annotations\":[{\"id\":1,\"image_id\":9,\"category_id\":1,\"bbox\":[0,0,-1,2]}]}")
                        .getBytes(StandardCharsets.UTF_8), "application/json")
                .when().post("/api/datasets")
                .then().statusCode(201)
                .body("counts.images", equalTo(1)).body("counts.annotatedImages", equalTo(0))
                .body("groundTruth", equalTo(false))
                .body("rejected[0].file", equalTo("gt.json"))
                .body("rejected[0].reason", containsString("$.annotations[0].image_id"))
                .body("rejected[0].reason", containsString("$.annotations[0].bbox"));
    }

    @Test
    void imageTagsFromTheCocoFileAndACsvAreValidatedCountedAndStored() throws Exception {
        String tenant = TestData.tenant();
        String coco = """
                {"images": [{"id": 1, "file_name": "a.png", "tags": ["cage"]}, {"id": 2, "file_name": "b.png"}],
                 "categories": [{"id": 1, "name": "cat"}], "annotations": []}""";
        String csv = """
                file_name,tags
                b.png,cage;indoor
                c.png,indoor
                missing.png,cage
                a.png,bad tag!
                """;
        String datasetId = Tokens.as(tenant).contentType(ContentType.MULTIPART)
                .multiPart("name", "tagged")
                .multiPart("files", "a.png", TestData.image("png", 10, 10), "image/png")
                .multiPart("files", "b.png", TestData.image("png", 10, 10), "image/png")
                .multiPart("files", "c.png", TestData.image("png", 10, 10), "image/png")
                .multiPart("groundTruth", "gt.json", coco.getBytes(StandardCharsets.UTF_8), "application/json")
                .multiPart("tags", "tags.csv", csv.getBytes(StandardCharsets.UTF_8), "text/csv")
                .when().post("/api/datasets")
                .then().statusCode(201)
                .body("tags.cage", equalTo(2)).body("tags.indoor", equalTo(2))
                .body("rejected[0].file", equalTo("tags.csv"))
                .body("rejected[0].reason", containsString("line 4: missing.png is not an image of the dataset"))
                .body("rejected[0].reason", containsString("line 5: tag 'bad tag!'"))
                .extract().path("datasetId");
        var stored = new com.fasterxml.jackson.databind.ObjectMapper().readTree(
                store.get("datasets/" + datasetId + "/image-tags.json").orElseThrow());
        assertThat(stored.path("a.png").toString()).isEqualTo("[\"cage\"]");
        assertThat(stored.path("b.png").toString()).isEqualTo("[\"cage\",\"indoor\"]");
        assertThat(stored.path("c.png").toString()).isEqualTo("[\"indoor\"]");
        Tokens.as(tenant).get("/api/datasets/" + datasetId).then().statusCode(200).body("tags.cage", equalTo(2));
    }

    @Test
    void anUploadWithoutAnyAcceptableImageIs422() {
        Tokens.as(TestData.tenant()).contentType(ContentType.MULTIPART)
                .multiPart("name", "nothing good")
                .multiPart("files", "a.png", "nope".getBytes(StandardCharsets.UTF_8), "image/png")
                .when().post("/api/datasets")
                .then().statusCode(422).contentType(startsWith("application/problem+json"))
                .body("type", equalTo("https://lumen.dev/problems/no-valid-images"))
                .body("errors[0].field", equalTo("a.png"));
    }

    @Test
    void damagedImagesAreRefusedOneByOneAndADatasetOfDamagedImagesIsRefusedWhole() {
        String tenant = TestData.tenant();
        Tokens.as(tenant).contentType(ContentType.MULTIPART)
                .multiPart("name", "some damaged")
                .multiPart("files", "good.png", TestData.image("png", 40, 30), "image/png")
                .multiPart("files", "cut.png", TestData.truncatedPng(), "image/png")
                .multiPart("files", "crc.png", TestData.badCrcPng(), "image/png")
                .multiPart("files", "colour.png", TestData.pngWithHeader(8, 5), "image/png")
                .multiPart("files", "cut.jpg", TestData.truncatedJpeg(), "image/jpeg")
                .when().post("/api/datasets")
                .then().statusCode(201)
                .body("counts.images", equalTo(1))
                .body("rejected.file", containsInAnyOrder("cut.png", "crc.png", "colour.png", "cut.jpg"))
                .body("rejected.find { it.file == 'cut.png' }.reason", containsString("truncated PNG"))
                .body("rejected.find { it.file == 'crc.png' }.reason", containsString("CRC mismatch"))
                .body("rejected.find { it.file == 'colour.png' }.reason", containsString("colour type 5"))
                .body("rejected.find { it.file == 'cut.jpg' }.reason", containsString("corrupt or truncated"));

        List<String> before = store.list("datasets/");
        Tokens.as(tenant).contentType(ContentType.MULTIPART)
                .multiPart("name", "all damaged")
                .multiPart("files", "cut.png", TestData.truncatedPng(), "image/png")
                .multiPart("files", "crc.png", TestData.badCrcPng(), "image/png")
                .when().post("/api/datasets")
                .then().statusCode(422).contentType(startsWith("application/problem+json"))
                .body("type", equalTo("https://lumen.dev/problems/no-valid-images"))
                .body("errors.field", containsInAnyOrder("cut.png", "crc.png"))
                .body("errors.find { it.field == 'crc.png' }.message", containsString("CRC mismatch"));
        assertThat(store.list("datasets/")).containsExactlyInAnyOrderElementsOf(before);

        String prefix = "imports/" + tenant + "/damaged/";
        store.put(prefix + "cut.png", TestData.truncatedPng(), "image/png");
        store.put(prefix + "fine.png", TestData.image("png", 20, 20), "image/png");
        Tokens.as(tenant).contentType(ContentType.JSON).body(Map.of("name", "registered", "s3Prefix", prefix))
                .when().post("/api/datasets")
                .then().statusCode(201).body("counts.images", equalTo(1))
                .body("rejected[0].file", equalTo("cut.png"))
                .body("rejected[0].reason", containsString("truncated PNG"));
    }

    @Test
    void anExistingPrefixOfTheTenantCanBeRegistered() {
        String tenant = TestData.tenant();
        String prefix = "imports/" + tenant + "/batch-1/";
        store.put(prefix + "one.png", TestData.image("png", 20, 20), "image/png");
        store.put(prefix + "two.jpg", TestData.image("jpeg", 20, 20), "image/jpeg");
        store.put(prefix + "broken.png", "nope".getBytes(StandardCharsets.UTF_8), "image/png");
        store.put(prefix + "readme.txt", "not an image".getBytes(StandardCharsets.UTF_8), "text/plain");

        String datasetId = Tokens.as(tenant).contentType(ContentType.JSON)
                .body(Map.of("name", "batch 1", "s3Prefix", "imports/" + tenant + "/batch-1"))
                .when().post("/api/datasets")
                .then().statusCode(201)
                .body("source", equalTo("s3")).body("s3Prefix", equalTo(prefix))
                .body("counts.images", equalTo(2)).body("rejected[0].file", equalTo("broken.png"))
                .extract().path("datasetId");

        // The refused file is never sampled.
        TestData.model(store, "m-" + tenant, "classification", tenant);
        Tokens.as(tenant).contentType(ContentType.JSON).body(Map.of("name", "r", "model", "m-" + tenant,
                        "dataset", datasetId, "method", "gradcam", "imageCount", 3))
                .when().post("/api/runs").then().statusCode(422)
                .body("type", equalTo("https://lumen.dev/problems/dataset-too-small"));

        Tokens.as(tenant).contentType(ContentType.JSON)
                .body(Map.of("name", "theirs", "s3Prefix", "imports/someone-else/batch-1"))
                .when().post("/api/datasets").then().statusCode(400).body("errors[0].field", equalTo("s3Prefix"));
        Tokens.as(tenant).contentType(ContentType.JSON)
                .body(Map.of("name", "runs", "s3Prefix", "runs/"))
                .when().post("/api/datasets").then().statusCode(400);
    }

    @Test
    void aRetriedUploadWithTheSameIdempotencyKeyCreatesOneDataset() {
        String tenant = TestData.tenant();
        byte[] image = TestData.image("png", 12, 12);
        String first = Tokens.as(tenant).contentType(ContentType.MULTIPART).header(IdempotencyKeys.HEADER, "upload-1")
                .multiPart("name", "once").multiPart("files", "a.png", image, "image/png")
                .when().post("/api/datasets").then().statusCode(201).extract().path("datasetId");
        Tokens.as(tenant).contentType(ContentType.MULTIPART).header(IdempotencyKeys.HEADER, "upload-1")
                .multiPart("name", "once").multiPart("files", "a.png", image, "image/png")
                .when().post("/api/datasets").then().statusCode(201)
                .header(IdempotencyKeys.REPLAYED, "true").body("datasetId", equalTo(first));
        Tokens.as(tenant).when().get("/api/datasets").then().body("", hasSize(1));
    }

    /**
     * A decompression bomb: a valid PNG whose header declares {@code width} x {@code height} pixels and
     * whose few compressed bytes would inflate to that many. Only its header is ever read.
     */
    private static byte[] bomb(int width, int height) {
        ByteArrayOutputStream png = new ByteArrayOutputStream();
        png.writeBytes(new byte[]{(byte) 0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n'});
        ByteArrayOutputStream ihdr = new ByteArrayOutputStream();
        writeInt(ihdr, width);
        writeInt(ihdr, height);
        ihdr.writeBytes(new byte[]{8, 0, 0, 0, 0});
        chunk(png, "IHDR", ihdr.toByteArray());
        Deflater deflater = new Deflater(9);
        deflater.setInput(new byte[64 * 1024]);
        deflater.finish();
        byte[] buffer = new byte[64 * 1024];
        int length = deflater.deflate(buffer);
        byte[] idat = new byte[length];
        System.arraycopy(buffer, 0, idat, 0, length);
        chunk(png, "IDAT", idat);
        chunk(png, "IEND", new byte[0]);
        return png.toByteArray();
    }

    private static void chunk(ByteArrayOutputStream out, String type, byte[] data) {
        writeInt(out, data.length);
        byte[] typeBytes = type.getBytes(StandardCharsets.US_ASCII);
        out.writeBytes(typeBytes);
        out.writeBytes(data);
        CRC32 crc = new CRC32();
        crc.update(typeBytes);
        crc.update(data);
        writeInt(out, (int) crc.getValue());
    }

    private static void writeInt(ByteArrayOutputStream out, int value) {
        out.write(value >>> 24);
        out.write(value >>> 16);
        out.write(value >>> 8);
        out.write(value);
    }
}
