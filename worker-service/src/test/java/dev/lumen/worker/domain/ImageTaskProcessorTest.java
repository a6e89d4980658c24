package dev.lumen.worker.domain;

import dev.lumen.contracts.CloudEvent;
import dev.lumen.contracts.EventCodec;
import dev.lumen.contracts.EventTypes;
import dev.lumen.contracts.Explanation;
import dev.lumen.contracts.ImageResult;
import dev.lumen.contracts.ImageTask;
import dev.lumen.contracts.MissedObject;
import dev.lumen.contracts.ModelRef;
import dev.lumen.contracts.ObjectBox;
import dev.lumen.contracts.Outcome;
import dev.lumen.contracts.PredictionMatch;
import dev.lumen.contracts.RunCancelled;
import dev.lumen.contracts.Target;
import dev.lumen.fixtures.DetectorFixture;
import dev.lumen.service.storage.ObjectStore;
import dev.lumen.testing.LumenStackResource;
import io.opentelemetry.api.trace.Span;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/** The cancel check before each task, and an image's errors against its ground truth, against the real S3 server. */
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

    @Test
    void aGroundTruthObjectTheDetectorMissesIsTypedMissedAndExplained() throws IOException {
        uploadDetector("missing-detector");
        List<String> labels = List.of("red", "green", "blue");
        String runId = "run-" + UUID.randomUUID();
        ImageResult found = null;
        List<Double> faintBox = null;
        // The third object of each image is drawn faint; the detector misses most of them.
        for (DetectorFixture.LabelledImage image : DetectorFixture.faintObjectImages(
                Path.of("target", "fixtures", "faint-objects"), 11, 8, 0.35)) {
            String key = "datasets/m/images/" + image.file().getFileName();
            store.put(key, Files.readAllBytes(image.file()), "image/png");
            List<ObjectBox> objects = image.objects().stream().map(o -> new ObjectBox(
                    Arrays.stream(o.box()).boxed().toList(), labels.get(o.label()))).toList();
            ImageResult result = processor.process(new ImageTask(runId, "acme", image.file().getFileName().toString(),
                    key, 0, 1, "drise", new ModelRef("missing-detector"), 7L,
                    Map.of("masks", 500, "grid", 8, "metrics", false, "contextTest", false), objects));
            List<Double> box = objects.get(2).box();
            if (result.evaluation() != null && result.evaluation().missed().stream().anyMatch(m -> m.box().equals(box))) {
                found = result;
                faintBox = box;
                break;
            }
        }
        assertThat(found).as("an image whose faint object the detector misses").isNotNull();
        List<Double> box = faintBox;
        assertThat(found.outcome()).isEqualTo(Outcome.EXPLAINED);
        assertThat(found.evaluation().matches()).hasSameSizeAs(found.predictions());
        assertThat(found.evaluation().matches()).extracting(PredictionMatch::prediction)
                .containsExactlyElementsOf(java.util.stream.IntStream.range(0, found.predictions().size()).boxed().toList());
        MissedObject missed = found.evaluation().missed().stream().filter(m -> m.box().equals(box)).findFirst().orElseThrow();
        assertThat(missed.index()).isEqualTo(labels.indexOf(missed.label()));
        Explanation explained = found.explanations().stream()
                .filter(e -> Target.ROLE_MISSED.equals(e.target().role()) && box.equals(e.target().box()))
                .findFirst().orElseThrow();
        assertThat(explained.target().label()).isEqualTo(missed.label());
        assertThat(explained.target().kind()).isEqualTo("detection");
        assertThat(found.predictions()).allMatch(p -> p.role() == null);
        // What results-service receives must be a valid event.
        assertThat(codec.encode(CloudEvent.of("/test", EventTypes.IMAGE_RESULT, runId, found))).isNotEmpty();
    }

    /**
     * A batch whose explanation throws for one image (an object box with x2 < x1) is explained image by
     * image: that image fails with its own reason, the others are explained as if alone.
     */
    @Test
    void aBatchWithOneBadTaskFailsThatTaskAloneWithItsReason() throws IOException {
        Path detector = uploadDetector("batch-detector");
        String runId = "run-" + UUID.randomUUID();
        List<DetectorFixture.LabelledImage> images = DetectorFixture.groundTruth(detector).subList(0, 4);
        List<ImageTask> tasks = new ArrayList<>();
        for (int i = 0; i < images.size(); i++) {
            String key = "datasets/batch/images/" + i + ".png";
            store.put(key, Files.readAllBytes(images.get(i).file()), "image/png");
            List<ObjectBox> objects = i == 2 ? List.of(new ObjectBox(List.of(60.0, 60.0, 10.0, 10.0), "red")) : null;
            tasks.add(new ImageTask(runId, "acme", i + ".png", key, i, images.size(), "odam",
                    new ModelRef("batch-detector"), 7L, Map.of("metrics", false), objects));
        }

        List<ImageResult> results = processor.processAll(tasks, Collections.nCopies(tasks.size(), Span.getInvalid()));

        assertThat(results).extracting(ImageResult::imageId).containsExactly("0.png", "1.png", "2.png", "3.png");
        assertThat(results.get(2).outcome()).isEqualTo(Outcome.FAILED);
        assertThat(results.get(2).reason()).startsWith("cannot explain: ").contains("objects[0]");
        for (int i : new int[] {0, 1, 3}) {
            assertThat(results.get(i).outcome()).as("image %d (reason: %s)", i, results.get(i).reason())
                    .isEqualTo(Outcome.EXPLAINED);
            assertThat(results.get(i).explanations()).isNotEmpty()
                    .allSatisfy(e -> assertThat(e.target().kind()).isEqualTo("detection"));
        }
    }

    /** Uploads the detector fixture as model {@code id}; returns the fixture's folder. */
    private Path uploadDetector(String id) throws IOException {
        Path detector = DetectorFixture.build(Path.of("target", "fixtures", "detector"), 42L);
        Path modelDir = DetectorFixture.modelDir(detector);
        try (Stream<Path> files = Files.walk(modelDir)) {
            for (Path file : files.filter(Files::isRegularFile).toList()) {
                store.put("models/" + id + "/" + modelDir.relativize(file).toString().replace('\\', '/'),
                        Files.readAllBytes(file), "application/octet-stream");
            }
        }
        return detector;
    }

    private static ImageTask task(String runId) {
        return new ImageTask(runId, "acme", "a.png", "datasets/nowhere/images/a.png", 0, 1, "gradcam",
                new ModelRef("no-such-model-" + UUID.randomUUID()), 1L, Map.of());
    }
}
