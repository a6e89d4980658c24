package dev.lumen.worker.domain;

import dev.lumen.explainer.ExplainOptions;
import dev.lumen.explainer.ExplainResult;
import dev.lumen.explainer.Images;
import dev.lumen.fixtures.SquaresFixture;
import dev.lumen.service.storage.ObjectStore;
import dev.lumen.testing.LumenStackResource;
import dev.lumen.worker.storage.ModelFiles;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import org.junit.jupiter.api.Test;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Models are never closed under a running explanation: not when evicted for another model, not at
 * shutdown (closing a TensorFlow session mid-run crashes the worker).
 */
@QuarkusTest
@QuarkusTestResource(value = LumenStackResource.class, restrictToAnnotatedClass = false)
class ModelPoolTest {

    @Inject
    ModelFiles files;

    @Inject
    ObjectStore store;

    @Test
    void anEvictedModelStaysUsableUntilItsLeaseCloses() throws IOException {
        Path fixture = SquaresFixture.build(Path.of("target", "fixtures", "squares"), 42L);
        String first = upload(fixture.resolve("model"));
        String second = upload(fixture.resolve("model"));
        BufferedImage image = Images.decode(Files.readAllBytes(SquaresFixture.groundTruth(fixture).get(0).file()));
        ModelPool pool = new ModelPool(files, 1);

        ModelPool.Lease held = pool.lease(first);
        try (ModelPool.Lease other = pool.lease(second)) {
            // The pool holds one model: loading the second evicted the first, which is still leased.
            assertThat(other.explainer().explain(image, ExplainOptions.of("gradcam")).explanations()).isNotEmpty();
            ExplainResult stillWorks = held.explainer().explain(image, ExplainOptions.of("gradcam"));
            assertThat(stillWorks.explanations()).isNotEmpty();
        }
        held.close();
        held.close();
        pool.closeAll();
    }

    @Test
    void shutdownWaitsForTheRunningExplanation() throws Exception {
        Path fixture = SquaresFixture.build(Path.of("target", "fixtures", "squares"), 42L);
        ModelPool pool = new ModelPool(files, 2);
        ModelPool.Lease running = pool.lease(upload(fixture.resolve("model")));

        long start = System.nanoTime();
        CompletableFuture<Void> finish = CompletableFuture.runAsync(() -> {
            sleep(700);
            running.close();
        });
        pool.closeAll();
        long waitedMs = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
        finish.get(10, TimeUnit.SECONDS);

        assertThat(waitedMs).as("closeAll returned only after the lease closed").isGreaterThanOrEqualTo(600);
    }

    private String upload(Path modelDir) throws IOException {
        String id = "pool-" + UUID.randomUUID();
        try (Stream<Path> walk = Files.walk(modelDir)) {
            for (Path file : walk.filter(Files::isRegularFile).toList()) {
                String relative = modelDir.relativize(file).toString().replace('\\', '/');
                store.put("models/" + id + "/" + relative, Files.readAllBytes(file), "application/octet-stream");
            }
        }
        return id;
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
