package dev.lumen.devstack;

import static org.assertj.core.api.Assertions.assertThat;

import dev.lumen.contracts.Topics;
import io.minio.GetObjectArgs;
import io.minio.MinioClient;
import io.minio.PutObjectArgs;
import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The outages the chaos tests inject: each server stopped refuses connections on its port, and
 * started again serves the same port with the data it had.
 */
class DevStackFaultTest {

    @TempDir
    Path dataDir;

    @Test
    void eachServerStopsAndStartsAgainOnItsPortWithItsData() throws Exception {
        try (DevStack stack = DevStack.start(new DevStack.Options(dataDir, 0, 0, dataDir.resolve("devstack.env")))) {
            TestStack.Endpoints endpoints = stack.endpoints();
            int s3Port = URI.create(endpoints.s3Endpoint()).getPort();
            int kafkaPort = Integer.parseInt(endpoints.kafkaBootstrapServers().split(":")[1]);
            MinioClient s3 = MinioClient.builder().endpoint(endpoints.s3Endpoint())
                    .credentials(endpoints.s3AccessKey(), endpoints.s3SecretKey()).region(endpoints.s3Region()).build();
            byte[] bytes = "kept".getBytes(StandardCharsets.UTF_8);
            s3.putObject(PutObjectArgs.builder().bucket(endpoints.s3Bucket()).object("runs/r/x.txt")
                    .stream(new ByteArrayInputStream(bytes), bytes.length, -1).build());
            KafkaProbe kafka = new KafkaProbe(endpoints.kafkaBootstrapServers());
            kafka.produce(Map.of(Topics.RUN_REQUESTS, "before the outage"), "k");

            stack.stop(DevStack.Server.S3);
            assertThat(Ports.answersHttp(s3Port)).isFalse();
            stack.start(DevStack.Server.S3);
            assertThat(Ports.answersHttp(s3Port)).isTrue();
            try (InputStream in = s3.getObject(GetObjectArgs.builder().bucket(endpoints.s3Bucket()).object("runs/r/x.txt").build())) {
                assertThat(in.readAllBytes()).isEqualTo(bytes);
            }

            stack.stop(DevStack.Server.KAFKA);
            assertThat(accepts(kafkaPort)).isFalse();
            stack.start(DevStack.Server.KAFKA);
            assertThat(accepts(kafkaPort)).isTrue();
            kafka.produce(Map.of(Topics.RUN_REQUESTS, "after the outage"), "k2");
            assertThat(kafka.readAll(java.util.Set.of(Topics.RUN_REQUESTS), 2).get(Topics.RUN_REQUESTS))
                    .containsEntry("k", "before the outage").containsEntry("k2", "after the outage");
        }
    }

    private static boolean accepts(int port) {
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress(Ports.LOOPBACK, port), 1000);
            return true;
        } catch (java.io.IOException e) {
            return false;
        }
    }
}
