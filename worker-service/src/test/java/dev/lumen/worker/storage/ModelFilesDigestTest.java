package dev.lumen.worker.storage;

import dev.lumen.service.storage.ObjectStore;
import dev.lumen.testing.LumenStackResource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Downloaded model files are checked against digest.json, against the real S3 server. */
@QuarkusTest
@QuarkusTestResource(value = LumenStackResource.class, restrictToAnnotatedClass = false)
class ModelFilesDigestTest {

    private static final byte[] GRAPH = "graph".getBytes(StandardCharsets.UTF_8);
    private static final byte[] DESCRIPTOR = "{\"task\":\"classification\"}".getBytes(StandardCharsets.UTF_8);

    @Inject
    ModelFiles files;

    @Inject
    ObjectStore store;

    @Test
    void aModelMatchingItsDigestIsCached() {
        String modelId = seed(sha256(GRAPH));
        Path local = files.local(modelId);
        assertThat(local.resolve("saved_model.pb")).hasBinaryContent(GRAPH);
    }

    @Test
    void aTamperedFileFailsTheLoadNamingTheFileAndCachesNothing() throws Exception {
        String modelId = seed(sha256("another graph".getBytes(StandardCharsets.UTF_8)));
        assertThatThrownBy(() -> files.local(modelId))
                .isInstanceOf(MissingModelException.class)
                .hasMessageContaining("saved_model.pb does not match its digest");
        Path folder = files.local(seedWithoutDigest()).getParent().getParent().resolve(modelId);
        try (var left = Files.list(folder)) {
            assertThat(left).isEmpty();
        }
    }

    @Test
    void aModelWithoutDigestIsStillLoaded() {
        assertThat(files.local(seedWithoutDigest()).resolve("lumen-model.json")).hasBinaryContent(DESCRIPTOR);
    }

    private String seed(String graphSum) {
        String modelId = "m-" + UUID.randomUUID();
        String digest = "{\"files\":{\"saved_model.pb\":\"" + graphSum + "\",\"lumen-model.json\":\""
                + sha256(DESCRIPTOR) + "\"}}";
        store.put("models/" + modelId + "/saved_model.pb", GRAPH, "application/octet-stream");
        store.put("models/" + modelId + "/digest.json", digest.getBytes(StandardCharsets.UTF_8), "application/json");
        store.put("models/" + modelId + "/lumen-model.json", DESCRIPTOR, "application/json");
        return modelId;
    }

    private String seedWithoutDigest() {
        String modelId = "m-" + UUID.randomUUID();
        store.put("models/" + modelId + "/saved_model.pb", GRAPH, "application/octet-stream");
        store.put("models/" + modelId + "/lumen-model.json", DESCRIPTOR, "application/json");
        return modelId;
    }

    private static String sha256(byte[] bytes) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }
}
