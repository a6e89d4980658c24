package dev.lumen.deploy;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The kustomize subset on small kustomizations: each feature Lumen's overlays use, and the refusals. */
class KustomizeTest {

    @TempDir
    Path dir;

    private static final String DEPLOYMENT = """
            apiVersion: apps/v1
            kind: Deployment
            metadata:
              name: app
            spec:
              selector:
                matchLabels: {app: a}
              template:
                metadata:
                  labels: {app: a}
                spec:
                  containers:
                    - name: main
                      image: registry.local:5000/team/app:1.0
                      env:
                        - {name: A, value: "1"}
                        - {name: B, value: "2"}
                      resources:
                        limits: {cpu: "1"}
                    - name: side
                      image: team/side:2.0
            """;

    private void write(String file, String text) throws IOException {
        Path path = dir.resolve(file);
        Files.createDirectories(path.getParent());
        Files.writeString(path, text);
    }

    private static Resource only(List<Resource> resources, String kind) {
        return resources.stream().filter(r -> r.kind().equals(kind)).findFirst().orElseThrow();
    }

    @Test
    void baseAndOverlayWithNamespaceLabelsImagesAndStrategicMerge() throws IOException {
        write("base/app.yaml", DEPLOYMENT + "---\napiVersion: v1\nkind: Namespace\nmetadata:\n  name: team\n");
        write("base/kustomization.yaml", """
                namespace: team
                labels:
                  - pairs: {part-of: lumen}
                resources: [app.yaml]
                """);
        write("overlay/patch.yaml", """
                apiVersion: apps/v1
                kind: Deployment
                metadata:
                  name: app
                spec:
                  template:
                    spec:
                      containers:
                        - name: main
                          env:
                            - {name: B, value: "20"}
                            - {name: C, value: "3"}
                          resources:
                            limits: {memory: 1Gi}
                      tolerations:
                        - {key: gpu, operator: Exists}
                """);
        write("overlay/kustomization.yaml", """
                resources: [../base]
                patches:
                  - path: patch.yaml
                images:
                  - {name: registry.local:5000/team/app, newName: example.org/app, newTag: "2.0"}
                  - {name: team/side, digest: "sha256:abc"}
                """);

        List<Resource> out = Kustomize.render(dir.resolve("overlay"));

        JsonNode body = only(out, "Deployment").body();
        JsonNode main = body.at("/spec/template/spec/containers/0");
        assertThat(body.at("/metadata/namespace").asText()).isEqualTo("team");
        assertThat(body.at("/metadata/labels/part-of").asText()).isEqualTo("lumen");
        // Selectors and pod templates keep their labels (labels without includeSelectors).
        assertThat(body.at("/spec/selector/matchLabels").toString()).isEqualTo("{\"app\":\"a\"}");
        assertThat(body.at("/spec/template/metadata/labels").toString()).isEqualTo("{\"app\":\"a\"}");
        assertThat(main.path("image").asText()).isEqualTo("example.org/app:2.0");
        assertThat(body.at("/spec/template/spec/containers/1/image").asText()).isEqualTo("team/side@sha256:abc");
        // env merges by name: new names first (as kustomize orders them), then the originals, patched.
        assertThat(main.path("env").toString())
                .isEqualTo("[{\"name\":\"C\",\"value\":\"3\"},{\"name\":\"A\",\"value\":\"1\"},{\"name\":\"B\",\"value\":\"20\"}]");
        assertThat(main.at("/resources/limits").toString()).isEqualTo("{\"cpu\":\"1\",\"memory\":\"1Gi\"}");
        assertThat(body.at("/spec/template/spec/containers")).hasSize(2);
        assertThat(only(out, "Namespace").namespace()).isEmpty();
    }

    @Test
    void customResourcesGetMergePatchSemanticsAndJson6902PatchesEveryTarget() throws IOException {
        write("crs.yaml", """
                apiVersion: kafka.strimzi.io/v1
                kind: KafkaTopic
                metadata: {name: a}
                spec: {partitions: 3, replicas: 3, config: {x: "1"}}
                ---
                apiVersion: kafka.strimzi.io/v1
                kind: KafkaTopic
                metadata: {name: b}
                spec: {partitions: 1, replicas: 3}
                ---
                apiVersion: kafka.strimzi.io/v1
                kind: Kafka
                metadata: {name: k}
                spec:
                  kafka:
                    listeners: [{name: plain, port: 9092}, {name: tls, port: 9093}]
                """);
        write("kustomization.yaml", """
                resources: [crs.yaml]
                patches:
                  - target: {group: kafka.strimzi.io, kind: KafkaTopic}
                    patch: |-
                      - {op: replace, path: /spec/replicas, value: 1}
                      - {op: add, path: /spec/config, value: {retention.ms: "1000"}}
                  - patch: |-
                      apiVersion: kafka.strimzi.io/v1
                      kind: Kafka
                      metadata: {name: k}
                      spec:
                        kafka:
                          listeners: [{name: plain, port: 9094}]
                          config: {a: 1}
                """);

        List<Resource> out = Kustomize.render(dir);

        assertThat(out).filteredOn(r -> r.kind().equals("KafkaTopic"))
                .allSatisfy(t -> assertThat(t.body().at("/spec/replicas").asInt()).isEqualTo(1))
                .allSatisfy(t -> assertThat(t.body().at("/spec/config").toString()).isEqualTo("{\"retention.ms\":\"1000\"}"));
        JsonNode kafka = only(out, "Kafka").body();
        assertThat(kafka.at("/spec/kafka/listeners").toString()).isEqualTo("[{\"name\":\"plain\",\"port\":9094}]");
        assertThat(kafka.at("/spec/kafka/config/a").asInt()).isEqualTo(1);
    }

    @Test
    void secretGeneratorEncodesTheEnvFile() throws IOException {
        write("secrets.env", "# comment\nUSER=lumen\nPASSWORD=a=b c\n");
        write("kustomization.yaml", """
                namespace: ns
                secretGenerator:
                  - name: creds
                    envs: [secrets.env]
                configMapGenerator:
                  - name: conf
                    literals: [MODE=dev]
                generatorOptions:
                  disableNameSuffixHash: true
                """);

        List<Resource> out = Kustomize.render(dir);

        JsonNode secret = only(out, "Secret").body();
        assertThat(secret.at("/metadata/name").asText()).isEqualTo("creds");
        assertThat(secret.at("/metadata/namespace").asText()).isEqualTo("ns");
        assertThat(secret.at("/type").asText()).isEqualTo("Opaque");
        assertThat(secret.at("/data/USER").asText()).isEqualTo("bHVtZW4=");
        assertThat(secret.at("/data/PASSWORD").asText()).isEqualTo("YT1iIGM=");
        assertThat(only(out, "ConfigMap").body().at("/data/MODE").asText()).isEqualTo("dev");
    }

    @Test
    void refusesWhatItDoesNotImplementAndPatchesThatMatchNothing() throws IOException {
        write("app.yaml", DEPLOYMENT);
        write("kustomization.yaml", "resources: [app.yaml]\ncommonLabels: {a: b}\n");
        assertThatThrownBy(() -> Kustomize.render(dir)).hasMessageContaining("'commonLabels' is not supported")
                .hasMessageContaining("includeSelectors: false");

        write("kustomization.yaml", """
                resources: [app.yaml]
                patches:
                  - target: {kind: Deployment, name: ap}
                    patch: '[{"op": "remove", "path": "/spec/selector"}]'
                """);
        assertThatThrownBy(() -> Kustomize.render(dir)).hasMessageContaining("patch matches no object");

        write("kustomization.yaml", """
                resources: [app.yaml]
                patches:
                  - target: {kind: Deployment}
                    patch: '[{"op": "replace", "path": "/spec/replica", "value": 3}]'
                """);
        assertThatThrownBy(() -> Kustomize.render(dir)).hasMessageContaining("/spec/replica does not exist");

        write("kustomization.yaml", "resources: [app.yaml]\nimages: [{name: team/other, newTag: x}]\n");
        assertThatThrownBy(() -> Kustomize.render(dir)).hasMessageContaining("image team/other is used by no container");

        write("kustomization.yaml", "resources: [app.yaml, app.yaml]\n");
        assertThatThrownBy(() -> Kustomize.render(dir)).hasMessageContaining("Deployment/app is declared twice");

        write("kustomization.yaml", "resources: [missing.yaml]\n");
        assertThatThrownBy(() -> Kustomize.render(dir)).hasMessageContaining("resource missing.yaml does not exist");
    }
}
