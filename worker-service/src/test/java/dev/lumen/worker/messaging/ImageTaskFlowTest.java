package dev.lumen.worker.messaging;

import dev.lumen.contracts.CloudEvent;
import dev.lumen.contracts.DeadLetter;
import dev.lumen.contracts.EventCodec;
import dev.lumen.contracts.EventTypes;
import dev.lumen.contracts.ImagePreview;
import dev.lumen.contracts.ImageResult;
import dev.lumen.contracts.ImageTask;
import dev.lumen.contracts.ModelRef;
import dev.lumen.contracts.ObjectBox;
import dev.lumen.contracts.Outcome;
import dev.lumen.contracts.Topics;
import dev.lumen.explainer.ObjectInputs;
import dev.lumen.fixtures.AttributorFixture;
import dev.lumen.fixtures.DetectorFixture;
import dev.lumen.fixtures.SegmenterFixture;
import dev.lumen.fixtures.SquaresFixture;
import dev.lumen.explainer.metric.PointingGame;
import dev.lumen.render.SaliencyPng;
import dev.lumen.service.storage.ObjectStore;
import dev.lumen.testing.LumenStackResource;
import dev.lumen.testing.PrometheusText;
import dev.lumen.testing.TopicProbe;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Image tasks through the real broker: the worker downloads the fixture model from the real S3 server,
 * explains with real gradients and publishes results; bad input fails the image, not the worker.
 */
@QuarkusTest
@QuarkusTestResource(value = LumenStackResource.class, restrictToAnnotatedClass = false)
class ImageTaskFlowTest {

    private static final String MODEL = "squares-cnn";
    private static final String ATTRIBUTOR = "attributor-cnn";

    @Inject
    ObjectStore store;

    @Inject
    EventCodec codec;

    @ConfigProperty(name = "kafka.bootstrap.servers")
    String bootstrap;

    private TopicProbe probe;
    private Path fixture;

    @BeforeEach
    void seed() throws IOException {
        probe = new TopicProbe(bootstrap);
        fixture = SquaresFixture.build(Path.of("target", "fixtures", "squares"), 42L);
        upload(MODEL, fixture.resolve("model"));
    }

    private void upload(String model, Path modelDir) throws IOException {
        try (Stream<Path> files = Files.walk(modelDir)) {
            for (Path file : files.filter(Files::isRegularFile).toList()) {
                String relative = modelDir.relativize(file).toString().replace('\\', '/');
                store.put("models/" + model + "/" + relative, Files.readAllBytes(file), "application/octet-stream");
            }
        }
    }

    @Test
    void explainsSegmentersWithGradCamAndInstanceSegmentersWithDRise() throws IOException {
        Path segmenter = SegmenterFixture.build(Path.of("target", "fixtures", "segmenter"), 42L);
        Path instances = DetectorFixture.buildInstanceSegmenter(Path.of("target", "fixtures", "instance-segmenter"), 42L);
        upload("segmenter", SegmenterFixture.modelDir(segmenter));
        upload("instance-segmenter", DetectorFixture.modelDir(instances));
        SegmenterFixture.LabelledImage segments = SegmenterFixture.groundTruth(segmenter).get(0);
        DetectorFixture.LabelledImage objects = DetectorFixture.groundTruth(instances).get(0);
        store.put("datasets/w/images/segments.png", Files.readAllBytes(segments.file()), "image/png");
        store.put("datasets/w/images/objects.png", Files.readAllBytes(objects.file()), "image/png");
        String runId = "run-" + UUID.randomUUID();

        publish(new ImageTask(runId, "default", "segments.png", "datasets/w/images/segments.png", 0, 2, "gradcam",
                new ModelRef("segmenter"), 7L, Map.of()));
        publish(new ImageTask(runId, "default", "objects.png", "datasets/w/images/objects.png", 1, 2, "drise",
                new ModelRef("instance-segmenter"), 7L, Map.of("masks", 500, "grid", 8)));

        List<ImageResult> results = awaitResults(runId, 2);
        ImageResult segmented = results.stream().filter(r -> r.imageId().equals("segments.png")).findFirst().orElseThrow();
        assertThat(segmented.outcome()).as("outcome (reason: %s)", segmented.reason()).isEqualTo(Outcome.EXPLAINED);
        assertThat(segmented.explanations()).hasSize(segments.objects().size())
                .allSatisfy(e -> assertThat(e.target().kind()).isEqualTo("segment"))
                .allSatisfy(e -> assertThat(e.target().box()).hasSize(4));
        ImageResult detected = results.stream().filter(r -> r.imageId().equals("objects.png")).findFirst().orElseThrow();
        assertThat(detected.outcome()).as("outcome (reason: %s)", detected.reason()).isEqualTo(Outcome.EXPLAINED);
        assertThat(detected.explanations()).isNotEmpty()
                .allSatisfy(e -> assertThat(e.target().kind()).isEqualTo("detection"))
                .allSatisfy(e -> assertThat(e.target().box()).hasSize(4));
    }

    /** Previews (decision 0045) go out while D-RISE samples, with rising mask counts, and are not results. */
    @Test
    void dRisePublishesPreviewsWithRisingMaskCountsBeforeItsResult() throws IOException {
        Path detector = DetectorFixture.build(Path.of("target", "fixtures", "detector"), 42L);
        upload("detector", DetectorFixture.modelDir(detector));
        DetectorFixture.LabelledImage objects = DetectorFixture.groundTruth(detector).get(0);
        store.put("datasets/w/images/detected.png", Files.readAllBytes(objects.file()), "image/png");
        String runId = "run-" + UUID.randomUUID();

        publish(new ImageTask(runId, "acme", "detected.png", "datasets/w/images/detected.png", 0, 1, "drise",
                new ModelRef("detector"), 7L, Map.of("masks", 1000, "grid", 8, "earlyStop", false)));

        ImageResult result = awaitResults(runId, 1).get(0);
        assertThat(result.outcome()).as("outcome (reason: %s)", result.reason()).isEqualTo(Outcome.EXPLAINED);
        List<ImagePreview> previews = probe.awaitRecords(Topics.IMAGE_PREVIEWS,
                        all -> previews(all, runId).size() >= 2 * result.explanations().size(), Duration.ofSeconds(30))
                .stream().filter(r -> r.key().equals(Topics.imageTaskKey(runId, "detected.png")))
                .map(r -> codec.decode(r.value(), EventTypes.IMAGE_PREVIEW, ImagePreview.class).data()).toList();
        for (int t = 0; t < result.explanations().size(); t++) {
            int target = t;
            List<ImagePreview> ofTarget = previews.stream().filter(p -> p.target() == target).toList();
            assertThat(ofTarget).hasSizeGreaterThanOrEqualTo(2)
                    .allSatisfy(p -> assertThat(p.label()).isEqualTo(result.explanations().get(target).target().label()))
                    .allSatisfy(p -> assertThat(p.tenant()).isEqualTo("acme"))
                    .allSatisfy(p -> assertThat(p.budget()).isEqualTo(1000))
                    .allSatisfy(p -> assertThat(p.masks()).isLessThan(1000))
                    .allSatisfy(p -> assertThat(p.map().width()).isLessThanOrEqualTo(32));
            assertThat(ofTarget).extracting(ImagePreview::masks).isSorted().doesNotHaveDuplicates();
        }
        // Previews are never results: the results topic holds exactly the one result of the image.
        assertThat(results(probe.readAll(Topics.IMAGE_RESULTS), runId)).hasSize(1);
    }

    @Test
    void explainsATaskAndFailsACorruptImageWithAReason() throws IOException {
        String runId = "run-" + UUID.randomUUID();
        Path image;
        try (Stream<Path> images = Files.list(fixture.resolve("images"))) {
            image = images.filter(p -> p.toString().endsWith(".png")).sorted().findFirst().orElseThrow();
        }
        store.put("datasets/w/images/good.png", Files.readAllBytes(image), "image/png");
        store.put("datasets/w/images/bad.png", "not an image at all".getBytes(StandardCharsets.UTF_8), "image/png");

        publish(task(runId, "good.png", 0));
        publish(task(runId, "bad.png", 1));

        List<ImageResult> results = awaitResults(runId, 2);
        ImageResult good = results.stream().filter(r -> r.imageId().equals("good.png")).findFirst().orElseThrow();
        assertThat(good.outcome()).as("outcome (reason: %s)", good.reason()).isEqualTo(Outcome.EXPLAINED);
        assertThat(good.targetLayer()).isNotBlank();
        assertThat(good.explanations()).isNotEmpty();
        var map = SaliencyPng.decode16(Base64.getDecoder().decode(good.explanations().get(0).saliency().data()));
        assertThat(map.max()).isGreaterThan(0f);

        ImageResult bad = results.stream().filter(r -> r.imageId().equals("bad.png")).findFirst().orElseThrow();
        assertThat(bad.outcome()).isEqualTo(Outcome.FAILED);
        assertThat(bad.reason()).contains("image could not be decoded");
    }

    /**
     * A backlog of one run's tasks is taken in polls of several and explained together (decision 0083):
     * each image still gets its own result, exactly once, and a corrupt image fails alone.
     */
    @Test
    void aPollOfSeveralTasksIsExplainedTogetherAndEachImageGetsItsOwnResult() throws IOException {
        String runId = "run-" + UUID.randomUUID();
        List<SquaresFixture.LabelledImage> images = SquaresFixture.groundTruth(fixture).subList(0, 7);
        List<Map.Entry<String, byte[]>> tasks = new ArrayList<>();
        for (int i = 0; i <= images.size(); i++) {
            String imageId = "batched-" + i + ".png";
            byte[] bytes = i < images.size() ? Files.readAllBytes(images.get(i).file())
                    : "not an image".getBytes(StandardCharsets.UTF_8);
            store.put("datasets/w/images/" + imageId, bytes, "image/png");
            ImageTask task = new ImageTask(runId, "default", imageId, "datasets/w/images/" + imageId, i,
                    images.size() + 1, "gradcam", new ModelRef(MODEL), 7L, Map.of("metrics", false));
            tasks.add(Map.entry(Topics.imageTaskKey(runId, imageId),
                    codec.encode(CloudEvent.of("/test", EventTypes.IMAGE_TASK, runId, task))));
        }

        probe.publishAll(Topics.IMAGE_TASKS, tasks);

        List<ImageResult> results = awaitResults(runId, tasks.size());
        assertThat(results).extracting(ImageResult::imageId).doesNotHaveDuplicates().hasSize(tasks.size());
        for (int i = 0; i < images.size(); i++) {
            String imageId = "batched-" + i + ".png";
            ImageResult result = results.stream().filter(r -> r.imageId().equals(imageId)).findFirst().orElseThrow();
            assertThat(result.outcome()).as("%s (reason: %s)", imageId, result.reason()).isEqualTo(Outcome.EXPLAINED);
            var explanation = result.explanations().get(0);
            assertThat(explanation.target().label()).as(imageId).isEqualTo(images.get(i).label());
            var map = SaliencyPng.decode16(Base64.getDecoder().decode(explanation.saliency().data()));
            assertThat(PointingGame.hit(map, images.get(i).box(), result.width(), result.height(), 0))
                    .as("%s's map points at its square", imageId).isTrue();
        }
        ImageResult bad = results.stream().filter(r -> r.imageId().equals("batched-7.png")).findFirst().orElseThrow();
        assertThat(bad.outcome()).isEqualTo(Outcome.FAILED);
        assertThat(bad.reason()).contains("image could not be decoded");
        assertThat(PrometheusText.scrape().sum("lumen_worker_batch_images_max"))
                .as("tasks taken by one poll").isGreaterThanOrEqualTo(2);
    }

    @Test
    void anAttributeModelExplainsEachObjectOfTheTaskOnItsCrop() throws IOException {
        Path attributor = AttributorFixture.build(Path.of("target", "fixtures", "attributor"), 42L,
                dir -> ObjectInputs.of(dir)::pixels);
        upload(ATTRIBUTOR, AttributorFixture.modelDir(attributor));
        AttributorFixture.AttributedImage image = AttributorFixture.groundTruth(attributor).get(0);
        store.put("datasets/w/images/objects.png", Files.readAllBytes(image.file()), "image/png");
        List<ObjectBox> objects = image.objects().stream()
                .map(o -> new ObjectBox(Arrays.stream(o.box()).boxed().toList(), "thing")).toList();
        String runId = "run-" + UUID.randomUUID();
        publish(new ImageTask(runId, "default", "objects.png", "datasets/w/images/objects.png", 0, 1, "gradcam",
                new ModelRef(ATTRIBUTOR), 7L, Map.of("metrics", false), objects));

        ImageResult result = awaitResults(runId, 1).get(0);
        assertThat(result.outcome()).as("outcome (reason: %s)", result.reason()).isEqualTo(Outcome.EXPLAINED);
        int expected = image.objects().stream().mapToInt(o -> o.attributes().size()).sum();
        assertThat(result.explanations()).hasSize(expected).allSatisfy(e -> {
            assertThat(e.target().kind()).isEqualTo("attribute");
            assertThat(objects).extracting(ObjectBox::box).contains(e.target().box());
        });
        for (AttributorFixture.AttributedObject object : image.objects()) {
            for (AttributorFixture.Attribute attribute : object.attributes()) {
                var explanation = result.explanations().stream()
                        .filter(e -> e.target().index() == attribute.index()
                                && e.target().box().equals(Arrays.stream(object.box()).boxed().toList()))
                        .findFirst().orElseThrow();
                var map = SaliencyPng.decode16(Base64.getDecoder().decode(explanation.saliency().data()));
                // The map covers the whole image and peaks on the part that decides the attribute.
                assertThat(PointingGame.hit(map, attribute.part(), result.width(), result.height(), 0))
                        .as("%s of object %s", attribute.label(), Arrays.toString(object.box())).isTrue();
            }
        }
    }

    @Test
    void unknownModelFailsTheImageWithAReason() {
        String runId = "run-" + UUID.randomUUID();
        store.put("datasets/w/images/any.png", new byte[]{1}, "image/png");
        publish(new ImageTask(runId, "default", "any.png", "datasets/w/images/any.png", 0, 1, "gradcam",
                new ModelRef("no-such-model"), 1L, Map.of()));
        ImageResult result = awaitResults(runId, 1).get(0);
        assertThat(result.outcome()).isEqualTo(Outcome.FAILED);
        assertThat(result.reason()).contains("model could not be loaded").contains("no-such-model");
    }

    @Test
    void malformedTaskGoesToDeadLetters() {
        String key = "garbage-" + UUID.randomUUID();
        probe.publish(Topics.IMAGE_TASKS, key, "{not json".getBytes(StandardCharsets.UTF_8));
        probe.awaitRecords(Topics.DEAD_LETTERS, records -> records.stream()
                .map(r -> codec.decode(r.value(), EventTypes.DEAD_LETTER, DeadLetter.class).data())
                .anyMatch(d -> key.equals(d.key()) && d.reason().contains("not JSON")), Duration.ofSeconds(60));
    }

    private ImageTask task(String runId, String imageId, int index) {
        return new ImageTask(runId, "default", imageId, "datasets/w/images/" + imageId, index, 2, "gradcam",
                new ModelRef(MODEL), 7L, Map.of());
    }

    private void publish(ImageTask task) {
        probe.publish(Topics.IMAGE_TASKS, Topics.imageTaskKey(task.runId(), task.imageId()),
                codec.encode(CloudEvent.of("/test", EventTypes.IMAGE_TASK, task.runId(), task)));
    }

    private List<ImageResult> awaitResults(String runId, int count) {
        List<ConsumerRecord<String, byte[]>> records = probe.awaitRecords(Topics.IMAGE_RESULTS,
                all -> results(all, runId).size() >= count, Duration.ofSeconds(120));
        return results(records, runId);
    }

    private List<ImagePreview> previews(List<ConsumerRecord<String, byte[]>> records, String runId) {
        return records.stream().filter(r -> r.key() != null && r.key().startsWith(runId + "/"))
                .map(r -> codec.decode(r.value(), EventTypes.IMAGE_PREVIEW, ImagePreview.class).data()).toList();
    }

    private List<ImageResult> results(List<ConsumerRecord<String, byte[]>> records, String runId) {
        return records.stream().filter(r -> runId.equals(r.key()))
                .map(r -> codec.decode(r.value(), EventTypes.IMAGE_RESULT, ImageResult.class).data())
                .toList();
    }
}
