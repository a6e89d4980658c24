package dev.lumen.e2e;

import com.fasterxml.jackson.databind.JsonNode;
import dev.lumen.cli.CliException;
import dev.lumen.cli.DemoAssets;
import dev.lumen.cli.DevTokens;
import dev.lumen.cli.Platform;
import dev.lumen.cli.RunClient;
import dev.lumen.cli.Workspace;
import dev.lumen.contracts.EventCodec;
import dev.lumen.contracts.EventTypes;
import dev.lumen.contracts.RunProgress;
import dev.lumen.contracts.Topics;
import dev.lumen.devstack.TestStack;
import dev.lumen.testing.TopicProbe;
import io.minio.ListObjectsArgs;
import io.minio.MinioClient;
import io.minio.PutObjectArgs;
import io.minio.Result;
import io.minio.messages.Item;
import io.restassured.RestAssured;
import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;
import io.restassured.specification.RequestSpecification;
import org.apache.kafka.clients.consumer.ConsumerRecord;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;
import java.util.stream.Stream;

/**
 * The packaged platform for one end-to-end test class (devstack and the three services as separate
 * JVMs, via the CLI's {@link Platform}) with the demo model, its images, and a larger dataset made of
 * copies of them, so that a run lasts long enough to crash something in the middle of it.
 */
final class PlatformFixture implements AutoCloseable {

    /** Dataset id of the copies of the demo images. */
    static final String MANY = "squares-many";

    private final Platform platform;
    private final RunClient client;
    private final TopicProbe probe;
    private final EventCodec codec = new EventCodec();
    private final Path work;
    private int manyImages;

    private PlatformFixture(Platform platform, Path work) {
        this.platform = platform;
        this.work = work;
        this.client = new RunClient(platform.baseUrl("run-service"), platform.baseUrl("results-service"));
        this.probe = new TopicProbe(platform.endpoints().kafkaBootstrapServers());
    }

    /**
     * Starts a fresh platform under {@code target/e2e/<name>} (a previous one's data removed, so the
     * topics hold only this class's runs) and uploads the demo assets plus {@code copies} copies of
     * the demo images as {@link #MANY}.
     */
    static PlatformFixture start(String name, int copies) {
        return start(name, copies, 1);
    }

    /** As {@link #start(String, int)}, with {@code workers} workers in the one consumer group. */
    static PlatformFixture start(String name, int copies, int workers) {
        return start(name, copies, workers, Map.of());
    }

    /** As {@link #start(String, int, int)}, with variables added to every service's environment. */
    static PlatformFixture start(String name, int copies, int workers, Map<String, String> environment) {
        Workspace workspace = Workspace.locate(Path.of(""));
        Path work = Path.of(System.getProperty("lumen.e2e.work", "target/e2e")).toAbsolutePath();
        Path assets = work.resolve("assets");
        DemoAssets demo = new DemoAssets(workspace, assets);
        Path built = demo.ensureBuilt();
        Path dataDir = work.resolve(name);
        deleteRecursively(dataDir);
        PlatformFixture fixture = new PlatformFixture(Platform.start(workspace, dataDir, Map.of(), workers, environment), work);
        try {
            demo.upload(built, fixture.platform.endpoints());
            fixture.uploadCopies(assets.resolve("images"), copies);
            return fixture;
        } catch (RuntimeException e) {
            fixture.close();
            throw e;
        }
    }

    Platform platform() {
        return platform;
    }

    RunClient client() {
        return client;
    }

    TopicProbe probe() {
        return probe;
    }

    EventCodec codec() {
        return codec;
    }

    /** Folder for this class's outputs (screenshots) under the build directory. */
    Path work() {
        return work;
    }

    /** Images in {@link #MANY}. */
    int manyImages() {
        return manyImages;
    }

    /** Submits a Grad-CAM run over REST ({@code POST /api/runs}, with a development token); returns its id. */
    String createRun(String name, String dataset, int images) {
        return createRun(name, dataset, images, "gradcam");
    }

    /**
     * Submits a run of the demo model with {@code method}; every run here samples with the same seed,
     * so runs over the same dataset and image count explain the same images. Returns the run id.
     */
    String createRun(String name, String dataset, int images, String method) {
        return createRun(name, dataset, images, method, Map.of());
    }

    /** As {@link #createRun(String, String, int, String)}, with the method's {@code parameters}. */
    String createRun(String name, String dataset, int images, String method, Map<String, Object> parameters) {
        Map<String, Object> request = new java.util.LinkedHashMap<>(Map.of("name", name, "model", DemoAssets.MODEL_ID,
                "dataset", dataset, "method", method, "imageCount", images, "seed", 11));
        if (!parameters.isEmpty()) {
            request.put("parameters", parameters);
        }
        JsonNode accepted = client.create(request);
        return accepted.path("runId").asText();
    }

    /**
     * Uploads the demo images with their ground truth (COCO, see {@link DemoGroundTruth}) as a dataset
     * of the default tenant, the way users do: multipart {@code POST /api/datasets} on run-service.
     * Returns the dataset id.
     */
    String uploadDemoWithGroundTruth(String name) {
        Path images = work.resolve("assets").resolve("images");
        RequestSpecification request = RestAssured.given()
                .header("Authorization", "Bearer " + platform.token(DevTokens.DEFAULT_TENANT))
                .contentType(ContentType.MULTIPART).multiPart("name", name)
                .multiPart("groundTruth", DemoGroundTruth.FIXTURE_FILE, DemoGroundTruth.coco(images), "application/json");
        try (Stream<Path> files = Files.list(images)) {
            for (Path png : files.filter(DemoGroundTruth::isImage).sorted().toList()) {
                request = request.multiPart("files", png.getFileName().toString(), Files.readAllBytes(png), "image/png");
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the demo images in " + images, e);
        }
        JsonPath created = request.post(platform.baseUrl("run-service") + "/api/datasets")
                .then().statusCode(201).extract().jsonPath();
        if (created.getInt("counts.annotatedImages") == 0) {
            throw new AssertionError("the demo ground truth annotated no image: " + created.prettify());
        }
        return created.getString("datasetId");
    }

    /** Polls the run's progress ({@code GET /api/runs/{id}/progress}) until {@code done} accepts it. */
    JsonNode awaitProgress(String runId, Predicate<JsonNode> done, Duration timeout) {
        Instant deadline = Instant.now().plus(timeout);
        JsonNode last = null;
        while (true) {
            try {
                last = client.get(runId).path("progress");
                if (done.test(last)) {
                    return last;
                }
            } catch (CliException e) {
                if (!e.getMessage().contains(" 404") && !e.getMessage().contains("cannot reach")) {
                    throw e;
                }
                // not known yet, or results-service restarting
            }
            if (Instant.now().isAfter(deadline)) {
                throw new AssertionError("run " + runId + " did not get there within " + timeout + "; last progress: " + last);
            }
            sleep(250);
        }
    }

    /** Result events of the run on {@code lumen.image-results} (redeliveries included). */
    long resultEvents(String runId) {
        return probe.readAll(Topics.IMAGE_RESULTS).stream().filter(r -> runId.equals(r.key())).count();
    }

    /** Waits until the workers have published at least {@code count} result events for the run. */
    void awaitResultEvents(String runId, int count, Duration timeout) {
        probe.awaitRecords(Topics.IMAGE_RESULTS,
                records -> records.stream().filter(r -> runId.equals(r.key())).count() >= count, timeout);
    }

    /** Images with any outcome in a progress JSON. */
    static int done(JsonNode progress) {
        return progress.path("explained").asInt() + progress.path("skipped").asInt() + progress.path("failed").asInt();
    }

    /** Whether a progress JSON is in a terminal state. */
    static boolean terminal(JsonNode progress) {
        return List.of("COMPLETED", "COMPLETED_WITH_SKIPS", "FAILED", "CANCELLED").contains(progress.path("state").asText());
    }

    /**
     * The run's records on {@code lumen.run-progress}, read by a plain consumer and each decoded by the
     * codec (which validates it against the schema), once the last one is terminal.
     */
    List<RunProgress> awaitFinalProgressRecords(String runId, Duration timeout) {
        List<ConsumerRecord<String, byte[]>> records = probe.awaitRecords(Topics.RUN_PROGRESS, all -> {
            List<RunProgress> mine = decode(all, runId);
            return !mine.isEmpty() && mine.get(mine.size() - 1).state().terminal();
        }, timeout);
        return decode(records, runId);
    }

    private List<RunProgress> decode(List<ConsumerRecord<String, byte[]>> records, String runId) {
        List<RunProgress> progress = new ArrayList<>();
        for (ConsumerRecord<String, byte[]> record : records) {
            if (runId.equals(record.key())) {
                progress.add(codec.decode(record.value(), EventTypes.RUN_PROGRESS, RunProgress.class).data());
            }
        }
        return progress;
    }

    /** The result events of the run on {@code lumen.image-results}, decoded, in topic order per partition. */
    List<ConsumerRecord<String, byte[]>> resultRecords(String runId) {
        return probe.readAll(Topics.IMAGE_RESULTS).stream().filter(r -> runId.equals(r.key())).toList();
    }

    /** The image result carried by a record of {@code lumen.image-results}. */
    dev.lumen.contracts.ImageResult imageResult(ConsumerRecord<String, byte[]> record) {
        return codec.decode(record.value(), EventTypes.IMAGE_RESULT, dev.lumen.contracts.ImageResult.class).data();
    }

    /** {@code GET /q/health} of a service instance, or null while it does not answer. */
    JsonNode health(String instance) {
        try {
            java.net.http.HttpResponse<String> response = java.net.http.HttpClient.newHttpClient().send(
                    java.net.http.HttpRequest.newBuilder(java.net.URI.create(platform.baseUrl(instance) + "/q/health"))
                            .timeout(Duration.ofSeconds(3)).build(),
                    java.net.http.HttpResponse.BodyHandlers.ofString());
            return codec.mapper().readTree(response.body());
        } catch (IOException e) {
            return null;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** The bytes of one object of the platform's bucket. */
    byte[] read(String key) {
        try (java.io.InputStream in = s3().getObject(io.minio.GetObjectArgs.builder().bucket(platform.endpoints().s3Bucket())
                .object(key).build())) {
            return in.readAllBytes();
        } catch (Exception e) {
            throw new IllegalStateException("cannot read " + key + ": " + e.getMessage(), e);
        }
    }

    /**
     * Asserts that the run completed with every sampled image explained exactly once: exact counts
     * over the API and on {@code lumen.run-progress} (every record validated against its schema), one
     * {@code result.json} per image in S3, each read back and naming its image with its map files
     * present, and no record ever claiming more than the sample.
     */
    void assertCompletedExactlyOnce(String runId, int images) {
        assertCompletedExactlyOnce(runId, images, Duration.ofMinutes(6));
    }

    /** As {@link #assertCompletedExactlyOnce(String, int)}, waiting up to {@code timeout} for the run to end. */
    void assertCompletedExactlyOnce(String runId, int images, Duration timeout) {
        JsonNode progress = awaitProgress(runId, PlatformFixture::terminal, timeout);
        org.assertj.core.api.Assertions.assertThat(progress.path("state").asText()).isEqualTo("COMPLETED");
        org.assertj.core.api.Assertions.assertThat(List.of(progress.path("total").asInt(),
                progress.path("explained").asInt(), progress.path("skipped").asInt(), progress.path("failed").asInt()))
                .containsExactly(images, images, 0, 0);

        JsonNode run = client.get(runId);
        List<String> apiImages = new ArrayList<>();
        run.path("images").forEach(image -> apiImages.add(image.path("imageId").asText()));
        org.assertj.core.api.Assertions.assertThat(apiImages).hasSize(images).doesNotHaveDuplicates();

        String prefix = "runs/" + runId + "/images/";
        List<String> stored = keys(prefix);
        List<String> records = stored.stream().filter(key -> key.endsWith("/result.json")).toList();
        org.assertj.core.api.Assertions.assertThat(records).hasSize(images);
        java.util.Set<String> storedImages = new java.util.HashSet<>();
        for (String key : records) {
            String imageId = key.substring(prefix.length(), key.length() - "/result.json".length());
            storedImages.add(imageId);
            JsonNode record;
            try {
                record = codec.mapper().readTree(read(key));
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            org.assertj.core.api.Assertions.assertThat(record.path("imageId").asText()).isEqualTo(imageId);
            org.assertj.core.api.Assertions.assertThat(record.path("outcome").asText()).isEqualTo("EXPLAINED");
            for (JsonNode explanation : record.path("explanations")) {
                for (String file : List.of("saliency", "heatmap", "overlay")) {
                    org.assertj.core.api.Assertions.assertThat(stored)
                            .contains(prefix + imageId + "/" + explanation.path(file).asText());
                }
            }
        }
        org.assertj.core.api.Assertions.assertThat(storedImages).containsExactlyInAnyOrderElementsOf(apiImages);

        List<RunProgress> published = awaitFinalProgressRecords(runId, Duration.ofSeconds(60));
        RunProgress last = published.get(published.size() - 1);
        org.assertj.core.api.Assertions.assertThat(last.state()).isEqualTo(dev.lumen.contracts.RunState.COMPLETED);
        org.assertj.core.api.Assertions.assertThat(List.of(last.total(), last.explained(), last.skipped(), last.failed()))
                .containsExactly(images, images, 0, 0);
        org.assertj.core.api.Assertions.assertThat(last.completedAt()).isNotNull();
        // Never counted twice, not even for a moment: no record ever claims more than the sample.
        org.assertj.core.api.Assertions.assertThat(published)
                .allSatisfy(p -> org.assertj.core.api.Assertions.assertThat(p.done()).isLessThanOrEqualTo(images));

        // A fault is not the message's fault: nothing of this run may have been dead-lettered.
        org.assertj.core.api.Assertions.assertThat(probe.readAll(Topics.DEAD_LETTERS).stream()
                .filter(r -> new String(r.value(), java.nio.charset.StandardCharsets.UTF_8).contains(runId)).count())
                .as("dead letters of run " + runId).isZero();

        long results = resultEvents(runId);
        System.out.printf("run %s: %d result events for %d images (%d redelivered or explained again)%n", runId, results,
                images, results - images);
    }

    /** Every object key under {@code prefix} in the platform's bucket. */
    List<String> keys(String prefix) {
        TestStack.Endpoints e = platform.endpoints();
        try {
            List<String> keys = new ArrayList<>();
            for (Result<Item> item : s3().listObjects(ListObjectsArgs.builder().bucket(e.s3Bucket()).prefix(prefix)
                    .recursive(true).build())) {
                keys.add(item.get().objectName());
            }
            return keys;
        } catch (Exception ex) {
            throw new IllegalStateException("cannot list " + prefix + ": " + ex.getMessage(), ex);
        }
    }

    private MinioClient s3() {
        TestStack.Endpoints e = platform.endpoints();
        return MinioClient.builder().endpoint(e.s3Endpoint()).credentials(e.s3AccessKey(), e.s3SecretKey())
                .region(e.s3Region()).build();
    }

    /** Uploads {@code copies} copies of every demo image as dataset {@link #MANY}. */
    private void uploadCopies(Path images, int copies) {
        TestStack.Endpoints e = platform.endpoints();
        MinioClient s3 = s3();
        try (Stream<Path> files = Files.list(images)) {
            List<Path> pngs = files.filter(p -> p.toString().endsWith(".png")).sorted().toList();
            for (int copy = 0; copy < copies; copy++) {
                for (Path png : pngs) {
                    byte[] bytes = Files.readAllBytes(png);
                    String key = "datasets/" + MANY + "/images/c" + copy + "-" + png.getFileName();
                    s3.putObject(PutObjectArgs.builder().bucket(e.s3Bucket()).object(key)
                            .stream(new ByteArrayInputStream(bytes), bytes.length, -1).contentType("image/png").build());
                }
            }
            manyImages = copies * pngs.size();
        } catch (Exception ex) {
            throw new IllegalStateException("cannot upload the copies of the demo images: " + ex.getMessage(), ex);
        }
    }

    private static void deleteRecursively(Path dir) {
        if (!Files.exists(dir)) {
            return;
        }
        try (Stream<Path> paths = Files.walk(dir)) {
            for (Path path : paths.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(path);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot clear " + dir, e);
        }
    }

    static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    @Override
    public void close() {
        platform.close();
    }
}
