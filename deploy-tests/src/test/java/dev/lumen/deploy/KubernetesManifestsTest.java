package dev.lumen.deploy;

import com.fasterxml.jackson.databind.JsonNode;
import dev.lumen.contracts.Topics;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The real kustomize overlays, rendered without kustomize and validated object by object (fabric8
 * model, CRD schemas, cross references) and against the code (topics, worker scaling, configuration);
 * and deliberately broken copies of them, which must fail with a message that says what is wrong.
 */
class KubernetesManifestsTest {

    private static final Path REPO = Repo.root();

    private Workspace ws;

    @BeforeEach
    void copyManifests(@TempDir Path tmp) {
        ws = Workspace.copy(tmp);
    }

    private List<Resource> render(String overlay) {
        return ws.render(overlay);
    }

    private static Resource find(List<Resource> resources, String kind, String name) {
        return resources.stream().filter(r -> r.kind().equals(kind) && r.name().equals(name)).findFirst()
                .orElseThrow(() -> new AssertionError("no " + kind + "/" + name));
    }

    private static JsonNode container(Resource workload) {
        return workload.body().path("spec").path("template").path("spec").path("containers").get(0);
    }

    /** Everything a deployment check reports about a rendering. */
    private static List<String> allProblems(List<Resource> resources) {
        List<String> problems = new ArrayList<>(ManifestValidator.validate(resources));
        problems.addAll(DeploymentChecks.compareTopics("KafkaTopics", DeploymentChecks.kafkaTopics(resources)));
        problems.addAll(DeploymentChecks.workerScaling(resources, REPO));
        problems.addAll(DeploymentChecks.kubernetesEnv(resources, REPO));
        return problems;
    }

    @ParameterizedTest
    @ValueSource(strings = {"dev", "gpu"})
    void overlayRendersAndEveryObjectValidates(String overlay) {
        List<Resource> resources = render(overlay);

        assertThat(allProblems(resources)).isEmpty();
        Map<String, Integer> kinds = ManifestValidator.countByKind(resources);
        assertThat(kinds).containsEntry("Namespace", 1).containsEntry("ConfigMap", 2).containsEntry("Secret", 1)
                .containsEntry("Deployment", 3).containsEntry("StatefulSet", 1).containsEntry("Job", 1)
                .containsEntry("PodDisruptionBudget", 2).containsEntry("Ingress", 1).containsEntry("NetworkPolicy", 1)
                .containsEntry("ScaledObject", 1).containsEntry("Kafka", 1).containsEntry("KafkaNodePool", 1)
                .containsEntry("KafkaTopic", Topics.ALL.size());
        assertThat(resources).filteredOn(r -> !r.kind().equals("Namespace"))
                .allSatisfy(r -> assertThat(r.namespace()).as(r.ref()).isEqualTo("lumen"));
        assertThat(resources).allSatisfy(r ->
                assertThat(r.labels().path("app.kubernetes.io/part-of").asText()).as(r.ref()).isEqualTo("lumen"));
    }

    @ParameterizedTest
    @ValueSource(strings = {"dev", "gpu"})
    void kafkaTopicsAreTopicsAll(String overlay) {
        List<DeploymentChecks.DeclaredTopic> topics = DeploymentChecks.kafkaTopics(render(overlay));

        assertThat(topics).hasSize(Topics.ALL.size());
        assertThat(DeploymentChecks.compareTopics(overlay, topics)).isEmpty();
    }

    @ParameterizedTest
    @ValueSource(strings = {"dev", "gpu"})
    void workersScaleOnTaskLagWithinThePartitions(String overlay) {
        List<Resource> resources = render(overlay);
        JsonNode spec = find(resources, "ScaledObject", "worker-service").body().path("spec");

        assertThat(DeploymentChecks.workerScaling(resources, REPO)).isEmpty();
        assertThat(spec.path("maxReplicaCount").asInt()).isBetween(1, 12);
        assertThat(spec.path("triggers").get(0).path("metadata").path("consumerGroup").asText()).isEqualTo("lumen-workers");
        assertThat(find(resources, "Deployment", "worker-service").body().path("spec").has("replicas")).isFalse();
    }

    @ParameterizedTest
    @ValueSource(strings = {"dev", "gpu"})
    void everyServiceGetsEveryVariableItReads(String overlay) {
        assertThat(DeploymentChecks.kubernetesEnv(render(overlay), REPO)).isEmpty();
    }

    /**
     * The Grafana dashboard ships as a ConfigMap the Grafana sidecar picks up, and every Lumen series it
     * queries is one the services document in their metrics classes, so a renamed meter fails here.
     */
    @ParameterizedTest
    @ValueSource(strings = {"dev", "gpu"})
    void grafanaDashboardIsProvisionedAndQueriesMetersTheServicesServe(String overlay) throws Exception {
        Resource dashboards = find(render(overlay), "ConfigMap", "lumen-grafana-dashboards");
        assertThat(dashboards.labels().path("grafana_dashboard").asText()).isEqualTo("1");
        assertThat(dashboards.namespace()).isEqualTo("lumen");
        JsonNode dashboard = new com.fasterxml.jackson.databind.ObjectMapper()
                .readTree(dashboards.body().path("data").path("lumen.json").asText());
        assertThat(dashboard.path("uid").asText()).isEqualTo("lumen-overview");

        java.util.Set<String> queried = new java.util.TreeSet<>();
        java.util.regex.Matcher series = java.util.regex.Pattern.compile("\\blumen_[a-z_]+")
                .matcher(dashboard.path("panels").toString());
        while (series.find()) {
            queried.add(series.group().replaceAll("_(bucket|sum|count)$", ""));
        }
        String documented = String.join("\n",
                java.nio.file.Files.readString(REPO.resolve("worker-service/src/main/java/dev/lumen/worker/domain/WorkerMetrics.java")),
                java.nio.file.Files.readString(REPO.resolve("run-service/src/main/java/dev/lumen/runs/domain/RunMetrics.java")),
                java.nio.file.Files.readString(REPO.resolve("results-service/src/main/java/dev/lumen/results/storage/ResultMetrics.java")));
        assertThat(queried).hasSizeGreaterThan(10)
                .allSatisfy(name -> assertThat(documented).as(name).contains("{@code " + name + "}"));
        assertThat(dashboard.path("panels").toString()).contains("kafka_consumer_fetch_manager_records_lag");
    }

    /** The optional collector validates and is where lumen-config sends traces once they are switched on. */
    @Test
    void optionalCollectorValidatesAndIsTheConfiguredOtlpEndpoint() {
        List<Resource> collector = Kustomize.render(REPO.resolve("k8s/observability/otel-collector"));
        assertThat(ManifestValidator.validate(collector)).isEmpty();
        Resource service = find(collector, "Service", "otel-collector");
        assertThat(service.namespace()).isEqualTo("lumen");
        assertThat(service.body().path("spec").path("ports").findValuesAsText("port")).contains("4317");
        assertThat(find(collector, "ConfigMap", "otel-collector-config").body().path("data").path("config.yaml").asText())
                .contains("otlp").contains("4317");

        JsonNode config = find(render("dev"), "ConfigMap", "lumen-config").body().path("data");
        assertThat(config.path("OTEL_SDK_DISABLED").asText()).as("traces off by default").isEqualTo("true");
        assertThat(config.path("OTEL_EXPORTER_OTLP_ENDPOINT").asText()).isEqualTo("http://otel-collector:4317");
    }

    @Test
    void apiServicesRunTwoReplicasWithProbesAndDisruptionBudgets() {
        List<Resource> resources = render("dev");
        for (String service : List.of("run-service", "results-service")) {
            Resource deployment = find(resources, "Deployment", service);
            JsonNode c = container(deployment);
            assertThat(deployment.body().path("spec").path("replicas").asInt()).isEqualTo(2);
            assertThat(c.path("readinessProbe").path("httpGet").path("path").asText()).isEqualTo("/q/health/ready");
            assertThat(c.path("livenessProbe").path("httpGet").path("path").asText()).isEqualTo("/q/health/live");
            assertThat(c.path("resources").path("requests").has("cpu")).isTrue();
            assertThat(c.path("resources").path("limits").has("memory")).isTrue();
            assertThat(find(resources, "PodDisruptionBudget", service).body().path("spec").path("minAvailable").asInt())
                    .isEqualTo(1);
        }
    }

    @Test
    void ingressSendsSubmissionsToRunServiceAndEverythingElseToResultsService() {
        JsonNode rules = find(render("gpu"), "Ingress", "lumen").body().path("spec").path("rules");
        Map<String, String> backendByPath = new java.util.TreeMap<>();
        rules.forEach(rule -> rule.path("http").path("paths").forEach(p -> backendByPath.put(
                rule.path("host").asText() + p.path("path").asText(), p.path("backend").path("service").path("name").asText())));

        assertThat(backendByPath).containsOnly(Map.entry("lumen.example.com/", "results-service"),
                Map.entry("runs.lumen.example.com/api/runs", "run-service"),
                Map.entry("s3.lumen.example.com/", "minio"));
    }

    @ParameterizedTest
    @ValueSource(strings = {"dev", "gpu"})
    void linksAndPresignedUrlsPointAtIngressHosts(String overlay) {
        List<Resource> resources = render(overlay);
        JsonNode config = find(resources, "ConfigMap", "lumen-config").body().path("data");
        Set<String> hosts = new TreeSet<>();
        find(resources, "Ingress", "lumen").body().path("spec").path("rules").forEach(r -> hosts.add(r.path("host").asText()));

        assertThat(hosts).contains(java.net.URI.create(config.path("RESULTS_BASE_URL").asText()).getHost(),
                java.net.URI.create(config.path("S3_PUBLIC_ENDPOINT").asText()).getHost());
    }

    @Test
    void gpuOverlayRunsWorkersOnGpuNodesWithTheCudaImage() {
        Resource gpu = find(render("gpu"), "Deployment", "worker-service");
        JsonNode pod = gpu.body().path("spec").path("template").path("spec");
        JsonNode c = container(gpu);

        assertThat(c.path("image").asText()).startsWith("lumen/worker-service-gpu:");
        assertThat(c.path("resources").path("limits").path("nvidia.com/gpu").asInt()).isEqualTo(1);
        assertThat(pod.path("nodeSelector").path("nvidia.com/gpu.present").asText()).isEqualTo("true");
        assertThat(pod.path("tolerations").toString()).contains("nvidia.com/gpu");
        // The patch adds to the base container; it does not replace its settings.
        assertThat(c.path("env").toString()).contains("TF_FORCE_GPU_ALLOW_GROWTH", "WORKER_SERVICE_PORT", "LUMEN_WORKER_ID");
        assertThat(c.path("envFrom")).hasSize(2);

        JsonNode cpu = container(find(render("dev"), "Deployment", "worker-service"));
        assertThat(cpu.path("image").asText()).isEqualTo("lumen/worker-service:dev");
        assertThat(cpu.path("resources").path("limits").has("nvidia.com/gpu")).isFalse();
    }

    @Test
    void onlyTheServicesReachKafkaAndMinio() {
        List<Resource> resources = render("gpu");
        Set<String> services = Set.of("run-service", "results-service", "worker-service");
        JsonNode minioRules = find(resources, "NetworkPolicy", "minio-clients").body().path("spec").path("ingress");
        JsonNode minioPeers = minioRules.get(0).path("from").get(0).path("podSelector").path("matchExpressions").get(0);
        JsonNode kafkaPeers = find(resources, "Kafka", "lumen").body().path("spec").path("kafka").path("listeners").get(0)
                .path("networkPolicyPeers");

        assertThat(values(minioPeers)).containsAll(services).hasSize(4).contains("minio-init");
        // Browsers reach MinIO only through the Ingress controller, for presigned image URLs.
        assertThat(minioRules).hasSize(2);
        assertThat(minioRules.get(1).path("from").get(0).path("namespaceSelector").toString()).contains("ingress-nginx");
        assertThat(values(kafkaPeers.get(0).path("podSelector").path("matchExpressions").get(0)))
                .containsExactlyInAnyOrderElementsOf(services);
        assertThat(kafkaPeers.get(1).path("namespaceSelector").toString()).contains("keda");
        assertThat(kafkaPeers).hasSize(2);
    }

    private static Set<String> values(JsonNode expression) {
        Set<String> values = new TreeSet<>();
        expression.path("values").forEach(v -> values.add(v.asText()));
        return values;
    }

    @Test
    void secretValuesStayOutOfGit() {
        // The only Secret comes from the generator reading the git-ignored secrets.env.
        assertThat(render("dev")).filteredOn(r -> r.kind().equals("Secret")).singleElement()
                .satisfies(r -> assertThat(r.origin()).startsWith("secretGenerator lumen-s3"));
        assertThat(YamlDocs.read(REPO.resolve("k8s/.gitignore")).lines()).contains("base/secrets.env");
        assertThat(YamlDocs.read(REPO.resolve("k8s/base/secrets.env.example")))
                .contains("S3_ACCESS_KEY=replace-me", "S3_SECRET_KEY=replace-me");
    }

    // ---- broken manifests ----

    @Test
    void misspelledDeploymentFieldFails() {
        List<Resource> broken = ws
                .edit("k8s/base/run-service.yaml", "imagePullPolicy: IfNotPresent", "imagePullPolicyy: IfNotPresent")
                .render("dev");

        assertThat(ManifestValidator.validate(broken)).singleElement().asString()
                .contains("Deployment/run-service", "run-service.yaml", "unknown field 'imagePullPolicyy'",
                        "spec.template.spec.containers[0]");
    }

    @Test
    void numberWhereKubernetesWantsAStringFails() {
        List<Resource> broken = ws
                .edit("k8s/base/results-service.yaml", "value: \"8082\"", "value: 8082")
                .render("gpu");

        assertThat(ManifestValidator.validate(broken)).singleElement().asString()
                .contains("Deployment/results-service", "wrong type at spec.template.spec.containers[0].env[0].value",
                        "expected String, found 8082");
    }

    @Test
    void kafkaTopicWithWrongPartitionsFails() {
        List<Resource> broken = ws
                .edit("k8s/base/kafka-topics.yaml", "partitions: 12", "partitions: 6")
                .render("dev");

        assertThat(ManifestValidator.validate(broken)).isEmpty();
        assertThat(DeploymentChecks.compareTopics("KafkaTopics", DeploymentChecks.kafkaTopics(broken)))
                .containsExactly("KafkaTopics: topic lumen.image-tasks has 6 partitions, Topics.ALL says 12");
    }

    @Test
    void uncompactedProgressTopicFails() {
        List<Resource> broken = ws
                .edit("k8s/base/kafka-topics.yaml", "cleanup.policy: compact", "cleanup.policy: delete")
                .render("dev");

        assertThat(DeploymentChecks.compareTopics("KafkaTopics", DeploymentChecks.kafkaTopics(broken)))
                .containsExactly("KafkaTopics: topic lumen.run-progress must be compacted (cleanup.policy), as Topics.ALL says");
    }

    @Test
    void moreWorkersThanPartitionsFails() {
        List<Resource> broken = ws
                .edit("k8s/overlays/gpu/kustomization.yaml", "value: 12", "value: 16")
                .render("gpu");

        assertThat(DeploymentChecks.workerScaling(broken, REPO)).containsExactly(
                "ScaledObject/worker-service: maxReplicaCount 16 exceeds the 12 partitions of lumen.image-tasks"
                        + " (workers beyond them would idle)");
    }

    @Test
    void misspelledKedaTriggerKeyFails() {
        List<Resource> broken = ws
                .edit("k8s/base/worker-scaledobject.yaml", "consumerGroup: lumen-workers", "consumergroup: lumen-workers")
                .render("dev");

        assertThat(String.join("\n", ManifestValidator.validate(broken)))
                .contains("ScaledObject/worker-service", "CRD schema", "consumergroup", "consumerGroup");
    }

    @Test
    void misspelledStrimziFieldFails() {
        List<Resource> broken = ws
                .edit("k8s/base/kafka.yaml", "tls: false", "tsl: false")
                .render("dev");

        assertThat(String.join("\n", ManifestValidator.validate(broken)))
                .contains("Kafka/lumen", "CRD schema", "tsl", "tls");
    }

    @Test
    void topicReplicasAboveTheBrokersFail() {
        // Without the dev overlay's topic patch, three replicas on its single broker.
        List<Resource> broken = ws
                .edit("k8s/overlays/dev/kustomization.yaml", "        path: /spec/replicas\n        value: 1",
                        "        path: /spec/replicas\n        value: 3")
                .render("dev");

        assertThat(ManifestValidator.validate(broken)).hasSize(Topics.ALL.size())
                .allSatisfy(p -> assertThat(p).contains("KafkaTopic/", "replicas 3 exceed the 1 brokers of Kafka lumen"));
    }

    @Test
    void variableMissingFromTheConfigMapFails() {
        List<Resource> broken = ws
                .edit("k8s/base/config.yaml", "  S3_REGION: us-east-1\n", "")
                .render("dev");

        assertThat(DeploymentChecks.kubernetesEnv(broken, REPO)).hasSize(3)
                .allSatisfy(p -> assertThat(p).contains("[S3_REGION]"));
    }

    @Test
    void referenceToAMissingSecretKeyFails() {
        List<Resource> broken = ws
                .edit("k8s/base/minio.yaml", "key: S3_SECRET_KEY", "key: S3_PASSWORD")
                .render("dev");

        assertThat(ManifestValidator.validate(broken)).singleElement().asString()
                .contains("StatefulSet/minio", "MINIO_ROOT_PASSWORD", "S3_PASSWORD", "Secret lumen-s3");
    }

    @Test
    void missingSecretsFileFailsTheRendering() {
        assertThat(ws.root.resolve("k8s/base/secrets.env").toFile().delete()).isTrue();

        assertThatThrownBy(() -> ws.render("dev")).isInstanceOf(KustomizeException.class)
                .hasMessageContaining("secrets.env").hasMessageContaining("lumen-s3");
    }
}
