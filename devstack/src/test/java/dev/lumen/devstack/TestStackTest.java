package dev.lumen.devstack;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.jar.JarFile;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The parts of {@link TestStack} that do not start a stack. */
class TestStackTest {

    @Test
    void usesTheEnvironmentOnlyWhenItNamesBothServers() {
        assertThat(TestStack.fromEnvironment(Map.of())).isNull();
        assertThat(TestStack.fromEnvironment(Map.of("KAFKA_BOOTSTRAP_SERVERS", "k:9092"))).isNull();

        TestStack.Endpoints endpoints = TestStack.fromEnvironment(Map.of(
                "KAFKA_BOOTSTRAP_SERVERS", "k:9092", "S3_ENDPOINT", "http://s3:9000", "S3_BUCKET", "other"));

        assertThat(endpoints).isEqualTo(new TestStack.Endpoints("k:9092", "http://s3:9000",
                DevCredentials.ACCESS_KEY, DevCredentials.SECRET_KEY, "other", "us-east-1"));
        assertThat(endpoints.toString()).doesNotContain(DevCredentials.SECRET_KEY);
    }

    @Test
    void givesQuarkusTheKafkaAndLumenS3Keys() {
        TestStack.Endpoints endpoints = new TestStack.Endpoints("k:1", "http://s:2", "ak", "sk", "b", "r");

        assertThat(endpoints.asQuarkusConfig()).containsExactly(
                Map.entry("kafka.bootstrap.servers", "k:1"),
                Map.entry("lumen.s3.endpoint", "http://s:2"),
                Map.entry("lumen.s3.access-key", "ak"),
                Map.entry("lumen.s3.secret-key", "sk"),
                Map.entry("lumen.s3.bucket", "b"),
                Map.entry("lumen.s3.region", "r"));
    }

    @Test
    void findsThePackagedLauncherAboveTheWorkingDir(@TempDir Path reactor) throws IOException {
        Path target = Files.createDirectories(reactor.resolve("devstack/target/lib"));
        Files.createFile(target.resolveSibling("lumen-devstack-0.1.0-SNAPSHOT-sources.jar"));
        Path jar = Files.createFile(target.resolveSibling("lumen-devstack-0.1.0-SNAPSHOT.jar"));
        Path service = Files.createDirectories(reactor.resolve("run-service/src"));

        assertThat(DevStackJarLocator.jarAboveWorkingDir(service)).contains(jar);
    }

    @Test
    void ignoresALauncherJarWithoutItsLibFolder(@TempDir Path reactor) throws IOException {
        Files.createDirectories(reactor.resolve("devstack/target"));
        Files.createFile(reactor.resolve("devstack/target/lumen-devstack-0.1.0-SNAPSHOT.jar"));

        assertThat(DevStackJarLocator.jarAboveWorkingDir(reactor.resolve("devstack"))).isEmpty();
    }

    @Test
    void childClasspathSpellsOutManifestOnlyJars() throws IOException {
        String classpath = ChildClasspath.ofThisJvm();
        // Surefire starts this JVM from a booter jar that names the real class path in its manifest.
        assertThat(classpath).contains("s3proxy-", "kafka-clients-", "logback-classic-");
        for (String entry : classpath.split(java.io.File.pathSeparator)) {
            if (entry.endsWith(".jar") && Files.isRegularFile(Path.of(entry))) {
                try (JarFile ignored = new JarFile(entry)) {
                    // Readable: the child JVM can load from it.
                }
            }
        }
    }
}
