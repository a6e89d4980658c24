package dev.lumen.devstack;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class EnvFileTest {

    private static final TestStack.Endpoints ENDPOINTS = new TestStack.Endpoints("127.0.0.1:1234",
            "http://127.0.0.1:5678", "ak", "sk", "lumen", "us-east-1");

    @Test
    void writesEveryVariableAndReadsThemBack(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("nested/devstack.env");
        EnvFile.write(file, ENDPOINTS, 42);

        assertThat(Files.readAllLines(file)).containsExactly(
                "KAFKA_BOOTSTRAP_SERVERS=127.0.0.1:1234",
                "S3_ENDPOINT=http://127.0.0.1:5678",
                "S3_ACCESS_KEY=ak",
                "S3_SECRET_KEY=sk",
                "S3_BUCKET=lumen",
                "S3_REGION=us-east-1",
                "DEVSTACK_PID=42");
        assertThat(EnvFile.toEndpoints(EnvFile.read(file))).isEqualTo(ENDPOINTS);
        try (Stream<Path> files = Files.list(file.getParent())) {
            assertThat(files).as("no temporary file left behind").containsExactly(file);
        }
    }

    @Test
    void skipsCommentsAndBlankLinesAndDefaultsTheS3Identity() {
        Map<String, String> values = EnvFile.parse(List.of("# devstack", "", "S3_ENDPOINT = http://h:1 ", "junk"));
        assertThat(values).containsExactly(Map.entry("S3_ENDPOINT", "http://h:1"));
        TestStack.Endpoints endpoints = EnvFile.toEndpoints(values);
        assertThat(endpoints.s3AccessKey()).isEqualTo(DevCredentials.ACCESS_KEY);
        assertThat(endpoints.s3Bucket()).isEqualTo("lumen");
        assertThat(endpoints.s3Region()).isEqualTo("us-east-1");
    }
}
