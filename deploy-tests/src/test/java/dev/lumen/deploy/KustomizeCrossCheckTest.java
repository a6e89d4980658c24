package dev.lumen.deploy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * Where {@code kubectl} is installed (it embeds kustomize), the renderer's output must equal
 * {@code kubectl kustomize}'s, object for object: proof that the subset behaves like the real thing
 * on Lumen's overlays. Skipped where kubectl is absent; the other tests never need it.
 */
class KustomizeCrossCheckTest {

    private static boolean kubectlAvailable() {
        String path = System.getenv().getOrDefault("PATH", "");
        for (String dir : path.split(File.pathSeparator)) {
            if (!dir.isEmpty() && Files.isExecutable(Path.of(dir, "kubectl"))) {
                return true;
            }
        }
        return false;
    }

    @ParameterizedTest
    @ValueSource(strings = {"dev", "gpu"})
    void rendererAgreesWithKubectlKustomize(String overlay, @TempDir Path tmp) throws Exception {
        assumeTrue(kubectlAvailable(), "kubectl is not installed");
        Workspace ws = Workspace.copy(tmp);
        Path out = tmp.resolve("kubectl.yaml");
        Process p = new ProcessBuilder("kubectl", "kustomize", ws.root.resolve("k8s/overlays").resolve(overlay).toString())
                .redirectOutput(out.toFile()).redirectError(tmp.resolve("kubectl.err").toFile()).start();
        assertThat(p.waitFor(120, TimeUnit.SECONDS)).as("kubectl kustomize finished").isTrue();
        String stderr = Files.readString(tmp.resolve("kubectl.err"));
        assertThat(p.exitValue()).as(stderr).isZero();

        Map<String, JsonNode> expected = new TreeMap<>();
        for (JsonNode doc : YamlDocs.readAll(out)) {
            expected.put(new Resource((ObjectNode) doc, "").id(), doc);
        }
        Map<String, JsonNode> actual = new TreeMap<>();
        ws.render(overlay).forEach(r -> actual.put(r.id(), r.body()));

        assertThat(actual.keySet()).isEqualTo(expected.keySet());
        expected.forEach((id, doc) -> assertThat(actual.get(id)).as(id).isEqualTo(doc));
    }
}
