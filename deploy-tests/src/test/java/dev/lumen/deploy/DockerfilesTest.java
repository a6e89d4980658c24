package dev.lumen.deploy;

import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** The service images, checked statically: building them needs a Docker engine, these checks do not. */
class DockerfilesTest {

    private static final Path REPO = Repo.root();
    private static final Map<String, Integer> PORTS = Map.of("run-service", 8081, "results-service", 8082,
            "worker-service", 8083);

    private static String dockerfile(String service, String name) {
        return YamlDocs.read(REPO.resolve(service).resolve("src/main/docker").resolve(name));
    }

    @Test
    void jvmImagesRunNonRootWithHealthChecksOnTemurin17() {
        PORTS.forEach((service, port) -> {
            String text = dockerfile(service, "Dockerfile.jvm");
            List<Dockerfiles.Instruction> instructions = Dockerfiles.parse(text);

            assertThat(Dockerfiles.check(service + "/Dockerfile.jvm", text, port)).isEmpty();
            assertThat(Dockerfiles.fromImage(Dockerfiles.finalStage(instructions).get(0))).startsWith("eclipse-temurin:17-jre");
            assertThat(instructions).filteredOn(i -> i.keyword().equals("COPY"))
                    .allSatisfy(i -> assertThat(i.arguments()).contains("target/quarkus-app/"));
        });
    }

    @Test
    void gpuImageIsCuda123WithCudnn89AndRefusesACpuJar() {
        String text = dockerfile("worker-service", "Dockerfile.gpu");
        List<Dockerfiles.Instruction> instructions = Dockerfiles.parse(text);
        List<Dockerfiles.Instruction> last = Dockerfiles.finalStage(instructions);

        assertThat(Dockerfiles.check("worker-service/Dockerfile.gpu", text, 8083)).isEmpty();
        assertThat(Dockerfiles.fromImage(last.get(0))).matches("nvidia/cuda:12\\.3\\.\\d+-runtime-ubuntu\\d+\\.\\d+");
        assertThat(last).anySatisfy(i -> {
            assertThat(i.keyword()).isEqualTo("ARG");
            assertThat(i.arguments()).startsWith("CUDNN_VERSION=8.9.");
        });
        assertThat(last).filteredOn(i -> i.keyword().equals("RUN")).anySatisfy(i ->
                assertThat(i.arguments()).contains("libcudnn8=${CUDNN_VERSION}", "apt-mark hold libcudnn8"));
        assertThat(last).filteredOn(i -> i.keyword().equals("RUN")).anySatisfy(i ->
                assertThat(i.arguments()).contains("linux-x86_64-gpu", "exit 1"));
        // The same Java runtime as the CPU images.
        assertThat(last).anySatisfy(i -> {
            assertThat(i.keyword()).isEqualTo("COPY");
            assertThat(i.arguments()).startsWith("--from=jre /opt/java/openjdk");
        });
        assertThat(Dockerfiles.fromImage(instructions.get(0))).startsWith("eclipse-temurin:17-jre");
    }

    @Test
    void brokenDockerfilesFail() {
        String text = dockerfile("run-service", "Dockerfile.jvm");

        assertThat(Dockerfiles.check("x", text.replace("USER 185", "USER root"), 8081))
                .containsExactly("x: the final USER is root");
        assertThat(Dockerfiles.check("x", text.replace("HEALTHCHECK", "# HEALTHCHECK").replace("\n  CMD curl", "\n# CMD curl"), 8081))
                .containsExactly("x: needs a HEALTHCHECK on /q/health/ready");
        assertThat(Dockerfiles.check("x", text.replace("eclipse-temurin:17-jre-noble", "eclipse-temurin"), 8081))
                .singleElement().asString().contains("pin the base image");
        assertThat(Dockerfiles.check("x", text.replace("ENTRYPOINT [\"sh\", \"-c\", ", "ENTRYPOINT sh -c ")
                .replace("quarkus-run.jar\"]", "quarkus-run.jar"), 8081))
                .containsExactly("x: ENTRYPOINT must be in exec form so the JVM gets signals");
    }
}
