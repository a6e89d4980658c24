package dev.lumen.devstack;

import static org.assertj.core.api.Assertions.assertThat;

import dev.lumen.contracts.Topics;
import io.minio.BucketExistsArgs;
import io.minio.GetObjectArgs;
import io.minio.ListObjectsArgs;
import io.minio.MinioClient;
import io.minio.PutObjectArgs;
import io.minio.Result;
import io.minio.StatObjectArgs;
import io.minio.messages.Item;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.io.PipedInputStream;
import java.io.PipedOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The whole stack against real clients: Kafka in this JVM, S3Proxy in a child process, started
 * twice on one data dir (directly, then through the {@code up} command) to show that topics,
 * records and objects survive a restart.
 */
class DevStackTest {

    @TempDir
    Path dataDir;

    @Test
    void servesTopicsAndObjectsAndKeepsThemAcrossRestarts(@TempDir Path local) throws Exception {
        Path envFile = dataDir.resolve("devstack.env");
        byte[] content = randomBytes(6 * 1024 * 1024 + 123);
        Map<String, String> valueByTopic = Topics.ALL.stream()
                .collect(Collectors.toMap(Topics.TopicSpec::name, spec -> "value of " + spec.name()));
        Map<String, Map<String, String>> recordByTopic = valueByTopic.entrySet().stream()
                .collect(Collectors.toMap(Map.Entry::getKey, entry -> Map.of("key-1", entry.getValue())));

        assertThat(envFile).doesNotExist();
        try (DevStack stack = DevStack.start(new DevStack.Options(dataDir, 0, 0, envFile))) {
            TestStack.Endpoints endpoints = stack.endpoints();
            assertThat(EnvFile.toEndpoints(EnvFile.read(envFile))).isEqualTo(endpoints);
            assertThat(EnvFile.read(envFile)).containsEntry(EnvFile.DEVSTACK_PID, Long.toString(ProcessHandle.current().pid()));
            assertThat(endpoints.kafkaBootstrapServers()).startsWith("127.0.0.1:");
            assertThat(endpoints.s3Endpoint()).startsWith("http://127.0.0.1:");

            KafkaProbe kafka = new KafkaProbe(endpoints.kafkaBootstrapServers());
            assertThat(kafka.partitionCounts()).isEqualTo(Topics.ALL.stream()
                    .collect(Collectors.toMap(Topics.TopicSpec::name, Topics.TopicSpec::partitions)));
            assertThat(kafka.cleanupPolicies()).isEqualTo(Topics.ALL.stream()
                    .collect(Collectors.toMap(Topics.TopicSpec::name, spec -> spec.compacted() ? "compact" : "delete")));
            kafka.produce(valueByTopic, "key-1");
            assertThat(kafka.readAll(valueByTopic.keySet(), valueByTopic.size())).isEqualTo(recordByTopic);

            MinioClient s3 = minio(endpoints);
            assertThat(s3.bucketExists(BucketExistsArgs.builder().bucket("lumen").build())).isTrue();
            // Over 5 MiB: the SDK uploads it in parts.
            s3.putObject(PutObjectArgs.builder().bucket(endpoints.s3Bucket()).object("runs/r1/blob.bin")
                    .stream(new ByteArrayInputStream(content), content.length, 5 * 1024 * 1024)
                    .contentType("application/x-test").build());
            assertThat(read(s3, endpoints, "runs/r1/blob.bin")).isEqualTo(content);
            assertThat(stat(s3, endpoints, "runs/r1/blob.bin")).isEqualTo("application/x-test");
            assertThat(list(s3, endpoints, "runs/")).containsExactly("runs/r1/blob.bin");

            seedsModelsAndDatasets(local, endpoints);

            // What the death of the launcher (kill -9 included) does to S3Proxy: its stdin pipe closes.
            ProcessHandle s3Proxy = stack.s3proxy().handle();
            stack.s3proxy().closeStdin();
            assertThat(s3Proxy.onExit()).succeedsWithin(Duration.ofSeconds(10));
        }
        assertThat(envFile).doesNotExist();

        // The second run goes through the launcher command, as 'java -jar ... up' would.
        try (PipedOutputStream parent = new PipedOutputStream()) {
            PipedInputStream stdin = new PipedInputStream(parent);
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            CompletableFuture<Integer> up = CompletableFuture.supplyAsync(() -> DevStackMain.run(
                    List.of("up", "--data-dir", dataDir.toString(), "--kafka-port", "0", "--s3-port", "0",
                            "--exit-when-stdin-closes"),
                    stdin, new PrintStream(out, true, StandardCharsets.UTF_8), System.err));
            TestStack.Endpoints endpoints = awaitEnvFile(envFile, up);
            KafkaProbe kafka = new KafkaProbe(endpoints.kafkaBootstrapServers());
            assertThat(kafka.partitionCounts()).hasSize(Topics.ALL.size());
            assertThat(kafka.readAll(valueByTopic.keySet(), valueByTopic.size())).isEqualTo(recordByTopic);
            assertThat(read(minio(endpoints), endpoints, "runs/r1/blob.bin")).isEqualTo(content);

            parent.close();
            assertThat(up).succeedsWithin(Duration.ofSeconds(30)).isEqualTo(0);
            // The ready line follows the env file; read it once 'up' has returned.
            assertThat(out.toString(StandardCharsets.UTF_8)).startsWith("Lumen devstack ready in ")
                    .contains("KAFKA_BOOTSTRAP_SERVERS=" + endpoints.kafkaBootstrapServers(),
                            "S3_ENDPOINT=" + endpoints.s3Endpoint(), envFile.toString());
        }
        assertThat(envFile).doesNotExist();
    }

    private static TestStack.Endpoints awaitEnvFile(Path envFile, CompletableFuture<Integer> up) throws Exception {
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        while (!Files.exists(envFile)) {
            assertThat(up).as("up is still running").isNotDone();
            assertThat(System.nanoTime()).as("env file within 60 s").isLessThan(deadline);
            Thread.sleep(50);
        }
        return EnvFile.toEndpoints(EnvFile.read(envFile));
    }

    /** Seeds twice (idempotent), then checks keys, content types and bytes. */
    private static void seedsModelsAndDatasets(Path local, TestStack.Endpoints endpoints) throws Exception {
        Path model = Files.createDirectories(local.resolve("model"));
        Files.writeString(model.resolve("saved_model.pb"), "graph");
        Files.createDirectories(model.resolve("variables"));
        Files.writeString(model.resolve("variables/variables.index"), "index");
        Files.writeString(model.resolve("labels.json"), "[\"cat\"]");
        Path images = Files.createDirectories(local.resolve("images"));
        Files.write(images.resolve("cat.png"), new byte[] {(byte) 0x89, 'P', 'N', 'G'});
        Files.write(images.resolve("dog.JPG"), new byte[] {(byte) 0xFF, (byte) 0xD8});
        Files.writeString(images.resolve("README.txt"), "not an image");

        Seeder seeder = new Seeder(BucketUploader.connect(endpoints));
        for (int run = 0; run < 2; run++) {
            seeder.seedModel("resnet-tiny", model);
            seeder.seedDataset("pets.v1", images);
        }
        MinioClient s3 = minio(endpoints);
        assertThat(list(s3, endpoints, "models/")).containsExactlyInAnyOrder(
                "models/resnet-tiny/saved_model.pb", "models/resnet-tiny/variables/variables.index",
                "models/resnet-tiny/labels.json");
        assertThat(list(s3, endpoints, "datasets/")).containsExactlyInAnyOrder(
                "datasets/pets.v1/images/cat.png", "datasets/pets.v1/images/dog.JPG");
        assertThat(stat(s3, endpoints, "datasets/pets.v1/images/cat.png")).isEqualTo("image/png");
        assertThat(stat(s3, endpoints, "datasets/pets.v1/images/dog.JPG")).isEqualTo("image/jpeg");
        assertThat(stat(s3, endpoints, "models/resnet-tiny/labels.json")).isEqualTo("application/json");
        assertThat(read(s3, endpoints, "models/resnet-tiny/variables/variables.index")).isEqualTo("index".getBytes());
    }

    static MinioClient minio(TestStack.Endpoints endpoints) {
        return MinioClient.builder().endpoint(endpoints.s3Endpoint())
                .credentials(endpoints.s3AccessKey(), endpoints.s3SecretKey()).region(endpoints.s3Region()).build();
    }

    private static byte[] read(MinioClient s3, TestStack.Endpoints endpoints, String key) throws Exception {
        try (InputStream in = s3.getObject(GetObjectArgs.builder().bucket(endpoints.s3Bucket()).object(key).build())) {
            return in.readAllBytes();
        }
    }

    private static String stat(MinioClient s3, TestStack.Endpoints endpoints, String key) {
        try {
            return s3.statObject(StatObjectArgs.builder().bucket(endpoints.s3Bucket()).object(key).build()).contentType();
        } catch (Exception e) {
            throw new AssertionError("Cannot stat " + key, e);
        }
    }

    private static List<String> list(MinioClient s3, TestStack.Endpoints endpoints, String prefix) throws Exception {
        List<String> keys = new ArrayList<>();
        for (Result<Item> item : s3.listObjects(ListObjectsArgs.builder().bucket(endpoints.s3Bucket())
                .prefix(prefix).recursive(true).build())) {
            keys.add(item.get().objectName());
        }
        return keys;
    }

    private static byte[] randomBytes(int size) {
        byte[] bytes = new byte[size];
        new Random(42).nextBytes(bytes);
        return bytes;
    }
}
