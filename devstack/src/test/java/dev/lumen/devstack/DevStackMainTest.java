package dev.lumen.devstack;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.io.PrintStream;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The launcher's command line: usage, and the errors a user can fix, each in one clear line. */
class DevStackMainTest {

    @TempDir
    Path dataDir;

    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private final ByteArrayOutputStream err = new ByteArrayOutputStream();

    private int run(String... args) {
        return DevStackMain.run(List.of(args), InputStream.nullInputStream(),
                new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(err, true, StandardCharsets.UTF_8));
    }

    private String err() {
        return err.toString(StandardCharsets.UTF_8);
    }

    @Test
    void rejectsUnknownCommandsAndOptions() {
        assertThat(run()).isEqualTo(2);
        assertThat(err()).contains("Usage:");
        assertThat(run("start")).isEqualTo(2);
        assertThat(run("up", "--kafka-prot", "1")).isEqualTo(1);
        assertThat(err()).contains("Unknown option --kafka-prot");
        assertThat(run("up", "--kafka-port", "nine")).isEqualTo(1);
        assertThat(err()).contains("--kafka-port needs a port number");
    }

    @Test
    void namesTheBusyPortAndTheOptionToChangeIt() throws Exception {
        try (ServerSocket busy = new ServerSocket()) {
            busy.bind(new InetSocketAddress("127.0.0.1", 0));
            int status = run("up", "--data-dir", dataDir.toString(), "--kafka-port", Integer.toString(busy.getLocalPort()));
            assertThat(status).isEqualTo(1);
            assertThat(err()).contains("127.0.0.1:" + busy.getLocalPort() + " is already in use", "--kafka-port");
        }
        assertThat(dataDir.resolve("devstack.env")).doesNotExist();
    }

    @Test
    void refusesASecondStackOnARunningStacksDataDir() throws Exception {
        // This test JVM stands in for a running launcher: a live Java process.
        Files.writeString(dataDir.resolve("devstack.env"), "S3_ENDPOINT=http://127.0.0.1:1\nDEVSTACK_PID="
                + ProcessHandle.current().pid() + "\n");
        assertThat(run("up", "--data-dir", dataDir.toString(), "--kafka-port", "0", "--s3-port", "0")).isEqualTo(1);
        assertThat(err()).contains("is already running", "down");
    }

    @Test
    void neverStopsAProcessThatMerelyInheritedTheLaunchersPid() throws Exception {
        Path envFile = dataDir.resolve("devstack.env");
        Files.writeString(envFile, "S3_ENDPOINT=http://127.0.0.1:1\nDEVSTACK_PID=" + ProcessHandle.current().pid() + "\n");
        // Written before this JVM started: the launcher that wrote it is gone, and this JVM got its pid.
        Instant thisJvmStarted = ProcessHandle.current().info().startInstant().orElseThrow();
        Files.setLastModifiedTime(envFile, FileTime.from(thisJvmStarted.minus(Duration.ofHours(1))));

        assertThat(run("down", "--data-dir", dataDir.toString())).isZero();

        assertThat(out.toString(StandardCharsets.UTF_8)).contains("stale env file");
        assertThat(envFile).doesNotExist();
    }

    @Test
    void downWithoutARunningStackIsANoOp() {
        assertThat(run("down", "--data-dir", dataDir.toString())).isZero();
        assertThat(out.toString(StandardCharsets.UTF_8)).contains("nothing to stop");
    }

    @Test
    void seedingNeedsARunningStack() {
        Path missing = dataDir.resolve("absent.env");
        assertThat(run("seed-model", "--id", "m1", "--env-file", missing.toString(), dataDir.toString())).isEqualTo(1);
        assertThat(err()).contains("No env file at " + missing);
        assertThat(run("seed-dataset", "--env-file", missing.toString(), dataDir.toString())).isEqualTo(1);
        assertThat(err()).contains("--id is required");
    }
}
