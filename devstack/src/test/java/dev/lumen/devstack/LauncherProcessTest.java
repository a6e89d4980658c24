package dev.lumen.devstack;

import static org.assertj.core.api.Assertions.assertThat;

import dev.lumen.contracts.Topics;
import io.minio.BucketExistsArgs;
import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The launcher as services' tests meet it: a separate JVM started the way {@link TestStack} starts
 * it, ready when its env file appears, and stopped by {@code down}.
 */
class LauncherProcessTest {

    private static StackProcess launch() {
        return StackProcess.launch(StackProcess.classpathCommand(ChildClasspath.ofThisJvm()), TestStack.START_TIMEOUT);
    }

    @Test
    void isUsableOnceTheEnvFileAppearsAndDownStopsEverything() throws Exception {
        StackProcess stack = launch();
        try {
            Path envFile = stack.envFile();
            Map<String, String> env = EnvFile.read(envFile);
            assertThat(env).containsOnlyKeys(EnvFile.KAFKA_BOOTSTRAP_SERVERS, EnvFile.S3_ENDPOINT, EnvFile.S3_ACCESS_KEY,
                    EnvFile.S3_SECRET_KEY, EnvFile.S3_BUCKET, EnvFile.S3_REGION, EnvFile.DEVSTACK_PID);
            assertThat(env.get(EnvFile.DEVSTACK_PID)).isEqualTo(Long.toString(stack.process().pid()));
            TestStack.Endpoints endpoints = stack.endpoints();
            assertThat(new KafkaProbe(endpoints.kafkaBootstrapServers()).partitionCounts()).hasSize(Topics.ALL.size());
            assertThat(DevStackTest.minio(endpoints).bucketExists(BucketExistsArgs.builder().bucket("lumen").build())).isTrue();
            List<ProcessHandle> s3Proxy = stack.process().descendants().toList();
            assertThat(s3Proxy).isNotEmpty();

            ByteArrayOutputStream out = new ByteArrayOutputStream();
            int status = DevStackMain.run(List.of("down", "--env-file", envFile.toString()),
                    InputStream.nullInputStream(), new PrintStream(out, true, StandardCharsets.UTF_8), System.err);

            assertThat(status).isZero();
            assertThat(out.toString(StandardCharsets.UTF_8)).contains("Stopped the devstack");
            assertThat(stack.process().isAlive()).isFalse();
            assertThat(envFile).doesNotExist();
            assertThat(s3Proxy).noneMatch(ProcessHandle::isAlive);
        } finally {
            stack.stop();
        }
    }
}
