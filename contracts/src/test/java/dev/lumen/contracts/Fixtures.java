package dev.lumen.contracts;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/** Realistic instances of every event, shared by the tests. */
final class Fixtures {

    /** A real 4x4 16-bit grayscale PNG, a diagonal ramp. */
    static final String PNG16_4X4 = "iVBORw0KGgoAAAANSUhEUgAAAAQAAAAEEAAAAADcCh3hAAAAHklEQVR42mNgYNBaFRpa/x9KrVrFAKGuhjBAqP//"
            + "AQ6GEete1NqBAAAAAElFTkSuQmCC";

    static final String RUN_ID = "run-20260314-0002";
    static final Instant REQUESTED_AT = Instant.parse("2026-03-14T09:30:00Z");

    /** The data record class of each event type. */
    static final Map<String, Class<?>> DATA_CLASS_BY_TYPE = Map.of(
            EventTypes.RUN_REQUESTED, RunRequested.class,
            EventTypes.RUN_CANCELLED, RunCancelled.class,
            EventTypes.RUN_DELETED, RunDeleted.class,
            EventTypes.IMAGE_TASK, ImageTask.class,
            EventTypes.IMAGE_RESULT, ImageResult.class,
            EventTypes.RUN_PROGRESS, RunProgress.class,
            EventTypes.IMAGE_PREVIEW, ImagePreview.class,
            EventTypes.DEAD_LETTER, DeadLetter.class);

    private Fixtures() {
    }

    static RunRequested runRequested() {
        return new RunRequested(RUN_ID, "acme", "D-RISE on COCO val", "drise", new ModelRef("yolov8n-coco"),
                new DatasetRef("coco-val-2017"), 200, 42L, true,
                Map.of("masks", 4000, "grid", 16, "probability", 0.5, "classes", List.of("person", "dog")));
    }

    static RunRequested minimalRunRequested() {
        return new RunRequested("r1", "acme", null, "gradcam", new ModelRef("resnet50-v2"),
                new DatasetRef("imagenet-val"), 1, null, null, null);
    }

    static RunCancelled runCancelled() {
        return new RunCancelled(RUN_ID, "acme", "wrong target layer");
    }

    static RunCancelled runCancelledWithoutReason() {
        return new RunCancelled(RUN_ID, "acme", null);
    }

    static RunDeleted runDeleted() {
        return new RunDeleted(RUN_ID, "acme");
    }

    static ImageTask imageTask() {
        return new ImageTask(RUN_ID, "acme", "000000397133", "datasets/coco-val-2017/images/000000397133.jpg",
                17, 200, "drise", new ModelRef("yolov8n-coco"), 7312456198235512321L,
                Map.of("masks", 4000, "grid", 16, "probability", 0.5),
                List.of(new ObjectBox(List.of(388.5, 69.25, 498.0, 347.75), "person"),
                        new ObjectBox(List.of(166.0, 233.5, 187.25, 266.0), null)));
    }

    static Target person() {
        return new Target("detection", "person", 0, 0.91, List.of(388.5, 69.25, 498.0, 347.75));
    }

    static ImageResult explainedResult() {
        Target bottle = new Target("detection", "bottle", 39, 0.62, List.of(166.0, 233.5, 187.25, 266.0));
        Explanation explanation = new Explanation(person(),
                new EncodedSaliencyMap(4, 4, EncodedSaliencyMap.PNG16_BASE64, PNG16_4X4), new Metrics(0.137, 0.684));
        return ImageResult.builder().runId(RUN_ID).tenant("acme").imageId("000000397133")
                .imageKey("datasets/coco-val-2017/images/000000397133.jpg").imageTotal(200).outcome(Outcome.EXPLAINED)
                .size(640, 427).method("drise").model(new ModelRef("yolov8n-coco")).predictions(List.of(person(), bottle))
                .explanations(List.of(explanation)).timing(new Timing(6841, 4001)).worker("worker-service-7c9f8d-2")
                .build();
    }

    static ImageResult classificationResult() {
        Target tabby = new Target("class", "tabby cat", 281, 0.8734, null);
        Explanation explanation = new Explanation(tabby,
                new EncodedSaliencyMap(4, 4, EncodedSaliencyMap.PNG16_BASE64, PNG16_4X4), null);
        return ImageResult.builder().runId("run-7").tenant("acme").imageId("ILSVRC2012_val_00000042")
                .imageKey("datasets/imagenet-val/ILSVRC2012_val_00000042.JPEG").imageTotal(50)
                .outcome(Outcome.EXPLAINED).size(500, 375).method("gradcam").model(new ModelRef("resnet50-v2"))
                .targetLayer("conv5_block3_out").predictions(List.of(tabby)).explanations(List.of(explanation))
                .timing(new Timing(112, 1)).worker("worker-service-7c9f8d-1").build();
    }

    static ImageResult skippedResult() {
        return ImageResult.builder().runId(RUN_ID).tenant("acme").imageId("000000037777")
                .imageKey("datasets/coco-val-2017/images/000000037777.jpg").imageTotal(200).outcome(Outcome.SKIPPED)
                .reason("no-prediction-above-threshold").size(352, 230).method("drise")
                .model(new ModelRef("yolov8n-coco")).predictions(List.of()).timing(new Timing(38, 1))
                .worker("worker-service-7c9f8d-1").build();
    }

    static ImageResult failedResult() {
        return ImageResult.builder().runId(RUN_ID).tenant("acme").imageId("000000000666")
                .imageKey("datasets/coco-val-2017/images/000000000666.jpg").imageTotal(200).outcome(Outcome.FAILED)
                .reason("corrupt-image").method("drise").model(new ModelRef("yolov8n-coco"))
                .worker("worker-service-7c9f8d-1").build();
    }

    static RunProgress runningProgress() {
        return new RunProgress(RUN_ID, "acme", "D-RISE on COCO val", "drise", "yolov8n-coco", "coco-val-2017",
                RunState.RUNNING, 200, 57, 3, 0, 0.31, 458L, Map.of("no-prediction-above-threshold", 3), Map.of(),
                REQUESTED_AT, Instant.parse("2026-03-14T09:33:21.042Z"), null);
    }

    /** Progress of a run whose results arrived before its request: only what the results tell. */
    static RunProgress progressBeforeTheRequestIsSeen() {
        return new RunProgress(RUN_ID, null, null, null, null, null, RunState.RUNNING, 200, 1, 0, 0, 0.0, null,
                Map.of(), Map.of(), null, Instant.parse("2026-03-14T09:30:09.500Z"), null);
    }

    static RunProgress completedProgress() {
        return new RunProgress(RUN_ID, "acme", "D-RISE on COCO val", "drise", "yolov8n-coco", "coco-val-2017",
                RunState.COMPLETED_WITH_SKIPS, 200, 188, 11, 1, 0.29, null,
                Map.of("no-prediction-above-threshold", 11), Map.of("corrupt-image", 1),
                REQUESTED_AT, Instant.parse("2026-03-14T09:41:27.905Z"), Instant.parse("2026-03-14T09:41:27.905Z"));
    }

    static DeadLetter deadLetter() {
        return new DeadLetter("results-service/image-results", Topics.IMAGE_RESULTS, 4, 18233L, RUN_ID,
                "invalid dev.lumen.image.result.v1: $.data.reason: is required", "{\"specversion\":\"1.0\"}");
    }

    /** A dead letter for a record whose offset the consumer could not learn, with no key and a null value. */
    static DeadLetter deadLetterOfUnknownOrigin() {
        return new DeadLetter("worker-service/image-tasks", Topics.IMAGE_TASKS, 7, -1L, null, "not JSON: empty value",
                null);
    }

    /** A D-RISE preview of a dog after 160 masks, its map a 2x2 ramp. */
    static ImagePreview imagePreview() {
        return new ImagePreview(RUN_ID, "acme", "000000397133", 0, "dog", 0.91, List.of(12.0, 40.5, 210.0, 300.25),
                160, 5000, 0.71, PreviewMap.of(new float[] {0, 1, 2, 3}, 2, 2),
                Instant.parse("2026-03-14T09:30:01.500Z"), "worker-7f9c");
    }

    /** Every fixture wrapped in an envelope with a fixed id and time, as producers would send it. */
    static List<CloudEvent<?>> allEvents() {
        return List.of(
                event("/lumen/run-service", EventTypes.RUN_REQUESTED, runRequested()),
                event("/lumen/run-service", EventTypes.RUN_REQUESTED, minimalRunRequested()),
                event("/lumen/run-service", EventTypes.RUN_CANCELLED, runCancelled()),
                event("/lumen/run-service", EventTypes.RUN_CANCELLED, runCancelledWithoutReason()),
                event("/lumen/run-service", EventTypes.RUN_DELETED, runDeleted()),
                event("/lumen/run-service", EventTypes.IMAGE_TASK, imageTask()),
                event("/lumen/worker-service", EventTypes.IMAGE_RESULT, explainedResult()),
                event("/lumen/worker-service", EventTypes.IMAGE_RESULT, classificationResult()),
                event("/lumen/worker-service", EventTypes.IMAGE_RESULT, skippedResult()),
                event("/lumen/worker-service", EventTypes.IMAGE_RESULT, failedResult()),
                event("/lumen/results-service", EventTypes.RUN_PROGRESS, runningProgress()),
                event("/lumen/results-service", EventTypes.RUN_PROGRESS, completedProgress()),
                event("/lumen/results-service", EventTypes.RUN_PROGRESS, progressBeforeTheRequestIsSeen()),
                event("/lumen/worker-service", EventTypes.IMAGE_PREVIEW, imagePreview()),
                event("/lumen/results-service", EventTypes.DEAD_LETTER, deadLetter()),
                event("/lumen/worker-service", EventTypes.DEAD_LETTER, deadLetterOfUnknownOrigin()));
    }

    static <T> CloudEvent<T> event(String source, String type, T data) {
        return new CloudEvent<>(CloudEvent.SPEC_VERSION, "evt-" + Integer.toHexString(data.hashCode()), source, type,
                RUN_ID, Instant.parse("2026-03-14T09:30:02.125Z"), CloudEvent.CONTENT_TYPE,
                Schemas.schemaUriFor(type), data);
    }

    /** A hand-written example event from {@code src/test/resources/examples/}. */
    static byte[] example(String fileName) {
        try (InputStream in = Fixtures.class.getResourceAsStream("/examples/" + fileName)) {
            if (in == null) {
                throw new IllegalArgumentException("no example " + fileName);
            }
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
