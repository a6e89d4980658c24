package dev.lumen.deploy;

import com.fasterxml.jackson.databind.JsonNode;
import dev.lumen.contracts.Topics;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** docker-compose.yml against the code: topics, configuration, health checks, a scalable worker. */
class ComposeFileTest {

    private static final Path REPO = Repo.root();

    private static JsonNode compose(String text) {
        return YamlDocs.parseAll(text, "docker-compose.yml").get(0);
    }

    private static JsonNode realCompose() {
        return YamlDocs.readOne(REPO.resolve("docker-compose.yml"));
    }

    private static List<String> topicProblems(JsonNode compose) {
        List<String> init = DeploymentChecks.topicInitServices(compose);
        assertThat(init).as("one service creates the topics").hasSize(1);
        return DeploymentChecks.compareTopics("compose " + init.get(0),
                DeploymentChecks.composeTopics(compose, init.get(0)));
    }

    @Test
    void initCreatesExactlyTheTopicsOfTopicsAll() {
        JsonNode compose = realCompose();
        String init = DeploymentChecks.topicInitServices(compose).get(0);

        assertThat(topicProblems(compose)).isEmpty();
        assertThat(DeploymentChecks.composeTopics(compose, init)).hasSize(Topics.ALL.size());
        assertThat(compose.at("/services/" + init + "/command").toString())
                .contains("LUMEN_TOPICS", "--partitions", "--if-not-exists", "--config");
    }

    @Test
    void everyServiceGetsEveryVariableItReads() {
        assertThat(DeploymentChecks.composeEnv(realCompose(), REPO)).isEmpty();
    }

    @Test
    void servicesAreHealthCheckedWaitForTheirDependenciesAndWorkersScale() {
        JsonNode compose = realCompose();

        assertThat(DeploymentChecks.composeShape(compose)).isEmpty();
        for (String service : ConfigSources.SERVICES) {
            JsonNode build = compose.at("/services/" + service + "/build");
            assertThat(REPO.resolve(build.path("context").asText()).resolve(build.path("dockerfile").asText()))
                    .as(service + " Dockerfile").isRegularFile();
        }
    }

    @Test
    void brokenComposeFilesFail(@TempDir Path tmp) throws Exception {
        String text = Files.readString(REPO.resolve("docker-compose.yml"));

        assertThat(topicProblems(compose(text.replace("lumen.image-tasks:12:", "lumen.image-tasks:8:"))))
                .containsExactly("compose kafka-init: topic lumen.image-tasks has 8 partitions, Topics.ALL says 12");
        assertThat(topicProblems(compose(text.replace("        lumen.dead-letters:1:cleanup.policy=delete,max.message.bytes=4194304\n", ""))))
                .containsExactly("compose kafka-init: topic lumen.dead-letters is missing (Topics.ALL declares it with 1 partitions)");
        assertThat(DeploymentChecks.composeEnv(compose(text.replace("  S3_SECRET_KEY: ${MINIO_ROOT_PASSWORD:-lumen-secret}\n", "")), REPO))
                .hasSize(3).allSatisfy(p -> assertThat(p).contains("environment lacks [S3_SECRET_KEY]"));
        assertThat(DeploymentChecks.composeShape(compose(text.replace(
                "    image: lumen/worker-service:dev\n", "    image: lumen/worker-service:dev\n    container_name: worker\n"))))
                .containsExactly("compose service worker-service: container_name prevents --scale worker-service=N");
    }
}
