package dev.lumen.worker.domain;

import dev.lumen.contracts.CloudEvent;
import dev.lumen.contracts.EventCodec;
import dev.lumen.contracts.EventTypes;
import dev.lumen.contracts.ImageResult;
import dev.lumen.contracts.ImageTask;
import dev.lumen.contracts.ModelRef;
import dev.lumen.contracts.Outcome;
import dev.lumen.contracts.RunCancelled;
import dev.lumen.service.storage.ObjectStore;
import dev.lumen.testing.LumenStackResource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;

/** The cancel check before each task, against the real S3 server. */
@QuarkusTest
@QuarkusTestResource(value = LumenStackResource.class, restrictToAnnotatedClass = false)
class ImageTaskProcessorTest {

    @Inject
    ImageTaskProcessor processor;

    @Inject
    ObjectStore store;

    @Inject
    EventCodec codec;

    @Test
    void aTaskOfACancelledRunIsSkippedBeforeAnyWork() {
        String runId = "run-" + UUID.randomUUID();
        store.put(RunCancelled.markerKey(runId), "{}".getBytes(StandardCharsets.UTF_8), "application/json");

        // The model does not exist: reaching the model would fail the image instead.
        ImageResult result = processor.process(task(runId));

        assertThat(result.outcome()).isEqualTo(Outcome.SKIPPED);
        assertThat(result.reason()).isEqualTo(RunCancelled.SKIP_REASON);
        assertThat(result.imageId()).isEqualTo("a.png");
        // What results-service receives must be a valid event.
        assertThat(codec.encode(CloudEvent.of("/test", EventTypes.IMAGE_RESULT, runId, result))).isNotEmpty();
    }

    @Test
    void aTaskOfARunningRunIsWorkedOn() {
        ImageResult result = processor.process(task("run-" + UUID.randomUUID()));

        assertThat(result.outcome()).isEqualTo(Outcome.FAILED);
        assertThat(result.reason()).startsWith("model could not be loaded");
    }

    private static ImageTask task(String runId) {
        return new ImageTask(runId, "acme", "a.png", "datasets/nowhere/images/a.png", 0, 1, "gradcam",
                new ModelRef("no-such-model-" + UUID.randomUUID()), 1L, Map.of());
    }
}
