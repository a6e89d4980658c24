package dev.lumen.contracts;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.assertj.core.api.ThrowableAssert.ThrowingCallable;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

/** Malformed events are refused with messages that name the JSON path of each problem. */
class EventCodecRejectionTest {

    private final EventCodec codec = new EventCodec();

    // ---- data: required fields, types, unknown fields, bounds

    @Test
    void missingRequiredField() {
        InvalidEventException e = decodeRunRequested(data -> data.remove("imageCount"));

        assertThat(e).hasMessage("invalid dev.lumen.run.requested.v1: $.data.imageCount: is required");
        assertThat(e.problems()).containsExactly("$.data.imageCount: is required");
    }

    @Test
    void missingNestedRequiredField() {
        InvalidEventException e = decodeRunRequested(data -> ((ObjectNode) data.get("model")).remove("id"));

        assertThat(e.problems()).containsExactly("$.data.model.id: is required");
    }

    @Test
    void wrongType() {
        InvalidEventException e = decodeRunRequested(data -> data.put("imageCount", "ten"));

        assertThat(e.problems()).containsExactly("$.data.imageCount: must be integer but was string");
    }

    @Test
    void nullIsNotAValueForAnOptionalField() {
        InvalidEventException e = decodeRunRequested(data -> data.putNull("seed"));

        assertThat(e.problems()).containsExactly("$.data.seed: must be integer but was null");
    }

    @Test
    void fractionalCount() {
        InvalidEventException e = decodeRunRequested(data -> data.put("imageCount", 2.5));

        assertThat(e.problems()).containsExactly("$.data.imageCount: must be integer but was number");
    }

    @Test
    void unknownFieldInData() {
        InvalidEventException e = decodeRunRequested(data -> data.put("imageCnt", 5));

        assertThat(e.problems()).containsExactly("$.data.imageCnt: is not a known field");
    }

    @Test
    void unknownFieldInNestedData() {
        InvalidEventException e = decodeRunRequested(data -> ((ObjectNode) data.get("model")).put("version", "2"));

        assertThat(e.problems()).containsExactly("$.data.model.version: is not a known field");
    }

    @Test
    void parametersAreAFreeObject() {
        byte[] value = mutate("run-requested.v1.json", event -> ((ObjectNode) event.get("data").get("parameters"))
                .put("anything", true)
                .set("nested", codec.mapper().createObjectNode().put("deep", 1.5)));

        RunRequested request = codec.decode(value, EventTypes.RUN_REQUESTED, RunRequested.class).data();

        assertThat(request.parameters()).containsEntry("anything", true).containsEntry("nested", Map.of("deep", 1.5));
    }

    @Test
    void imageCountBelowOne() {
        InvalidEventException e = decodeRunRequested(data -> data.put("imageCount", 0));

        assertThat(e).hasMessage("invalid dev.lumen.run.requested.v1: $.data.imageCount: must be >= 1");
    }

    @Test
    void imageCountAboveTheLimit() {
        InvalidEventException e = decodeRunRequested(data -> data.put("imageCount", 100_001));

        assertThat(e.problems()).containsExactly("$.data.imageCount: must be <= 100000");
    }

    @Test
    void runIdWithCharactersOutsideThePattern() {
        InvalidEventException e = decodeRunRequested(data -> data.put("runId", "run 1/2"));

        assertThat(e.problems()).containsExactly("$.data.runId: must match ^[A-Za-z0-9._-]{1,128}$");
    }

    @Test
    void everyProblemIsReported() {
        InvalidEventException e = decodeRunRequested(data -> {
            data.remove("tenant");
            data.put("imageCount", -3);
            data.put("colour", "red");
        });

        assertThat(e.problems()).containsExactlyInAnyOrder(
                "$.data.tenant: is required",
                "$.data.imageCount: must be >= 1",
                "$.data.colour: is not a known field");
        assertThat(e.getMessage()).contains("$.data.tenant", "$.data.imageCount", "$.data.colour");
    }

    @Test
    void negativeCount() {
        InvalidEventException e = decode("run-progress.v1.json", EventTypes.RUN_PROGRESS, RunProgress.class,
                event -> ((ObjectNode) event.get("data")).put("skipped", -1));

        assertThat(e.problems()).containsExactly("$.data.skipped: must be >= 0");
    }

    @Test
    void negativeReasonCount() {
        InvalidEventException e = decode("run-progress.v1.json", EventTypes.RUN_PROGRESS, RunProgress.class,
                event -> ((ObjectNode) event.get("data").get("failureReasons")).put("corrupt-image", -1));

        assertThat(e.problems()).containsExactly("$.data.failureReasons['corrupt-image']: must be >= 0");
    }

    @Test
    void unknownRunState() {
        InvalidEventException e = decode("run-progress.v1.json", EventTypes.RUN_PROGRESS, RunProgress.class,
                event -> ((ObjectNode) event.get("data")).put("state", "DONE"));

        assertThat(e.problems()).containsExactly("$.data.state: must be one of "
                + "[\"QUEUED\", \"RUNNING\", \"COMPLETED\", \"COMPLETED_WITH_SKIPS\", \"FAILED\", \"CANCELLED\"]");
    }

    @Test
    void terminalStateWithoutCompletionTime() {
        InvalidEventException e = decode("run-progress.v1.json", EventTypes.RUN_PROGRESS, RunProgress.class,
                event -> ((ObjectNode) event.get("data")).remove("completedAt"));

        assertThat(e.problems()).containsExactly("$.data.completedAt: is required");
    }

    // ---- image results: conditional requirements and nested shapes

    @Test
    void explainedWithoutExplanations() {
        InvalidEventException e = decodeImageResult(data -> data.remove("explanations"));

        assertThat(e.problems()).containsExactly("$.data.explanations: is required");
    }

    @Test
    void explainedWithAnEmptyExplanationList() {
        InvalidEventException e = decodeImageResult(data -> data.putArray("explanations"));

        assertThat(e.problems()).containsExactly("$.data.explanations: must have at least 1 item(s) but has 0");
    }

    @Test
    void explainedWithoutImageSize() {
        InvalidEventException e = decodeImageResult(data -> data.remove(List.of("width", "height")));

        assertThat(e.problems()).containsExactlyInAnyOrder("$.data.width: is required", "$.data.height: is required");
    }

    @Test
    void failedWithoutReason() {
        InvalidEventException e = decodeImageResult(data -> {
            data.put("outcome", "FAILED");
            data.remove(List.of("explanations", "predictions"));
        });

        assertThat(e).hasMessage("invalid dev.lumen.image.result.v1: $.data.reason: is required");
    }

    @Test
    void skippedWithoutReason() {
        InvalidEventException e = decode("image-result-skipped.v1.json", EventTypes.IMAGE_RESULT, ImageResult.class,
                event -> ((ObjectNode) event.get("data")).remove("reason"));

        assertThat(e.problems()).containsExactly("$.data.reason: is required");
    }

    @Test
    void unknownOutcome() {
        InvalidEventException e = decodeImageResult(data -> data.put("outcome", "explained"));

        assertThat(e.problems()).containsExactly("$.data.outcome: must be one of [\"EXPLAINED\", \"SKIPPED\", \"FAILED\"]");
    }

    @Test
    void boxWithThreeNumbers() {
        InvalidEventException e = decodeImageResult(data ->
                ((ArrayNode) data.get("explanations").get(0).get("target").get("box")).remove(3));

        assertThat(e.problems()).containsExactly("$.data.explanations[0].target.box: must have at least 4 item(s) but has 3");
    }

    @Test
    void boxWithAString() {
        InvalidEventException e = decodeImageResult(data ->
                ((ArrayNode) data.get("predictions").get(1).get("box")).set(2, "187.25"));

        assertThat(e.problems()).containsExactly("$.data.predictions[1].box[2]: must be number but was string");
    }

    @Test
    void taskObjectsNeedFourNumbersAndNothingElse() {
        InvalidEventException e = decode("image-task.v1.json", EventTypes.IMAGE_TASK, ImageTask.class, event -> {
            ArrayNode objects = ((ObjectNode) event.get("data")).putArray("objects");
            objects.addObject().put("label", "car").putArray("box").add(1).add(2).add(3);
            objects.addObject().put("colour", "red").putArray("box").add(1).add(2).add(3).add(4);
        });

        assertThat(e.problems()).containsExactlyInAnyOrder(
                "$.data.objects[0].box: must have at least 4 item(s) but has 3",
                "$.data.objects[1].colour: is not a known field");
    }

    @Test
    void tasksWithoutObjectsStayValid() {
        ImageTask task = codec.decode(Fixtures.example("image-task.v1.json"), EventTypes.IMAGE_TASK, ImageTask.class).data();

        assertThat(task.objects()).isNull();
    }

    @Test
    void detectionWithoutBox() {
        InvalidEventException e = decodeImageResult(data -> ((ObjectNode) data.get("predictions").get(0)).remove("box"));

        assertThat(e.problems()).containsExactly("$.data.predictions[0].box: is required");
    }

    @Test
    void scoreAsText() {
        InvalidEventException e = decodeImageResult(data -> ((ObjectNode) data.get("predictions").get(0)).put("score", "high"));

        assertThat(e.problems()).containsExactly("$.data.predictions[0].score: must be number but was string");
    }

    @Test
    void saliencyInAnotherEncoding() {
        InvalidEventException e = decodeImageResult(data ->
                ((ObjectNode) data.get("explanations").get(0).get("saliency")).put("encoding", "png8-base64"));

        assertThat(e.problems()).containsExactly("$.data.explanations[0].saliency.encoding: must be \"png16-base64\"");
    }

    @Test
    void saliencyThatIsNotBase64() {
        InvalidEventException e = decodeImageResult(data ->
                ((ObjectNode) data.get("explanations").get(0).get("saliency")).put("data", "not base64!"));

        assertThat(e.problems()).singleElement().asString().startsWith("$.data.explanations[0].saliency.data: must match");
    }

    @Test
    void negativeTiming() {
        InvalidEventException e = decodeImageResult(data -> ((ObjectNode) data.get("timing")).put("explainMs", -5));

        assertThat(e.problems()).containsExactly("$.data.timing.explainMs: must be >= 0");
    }

    @Test
    void cancellationWithoutTenant() {
        InvalidEventException e = decode("run-cancelled.v1.json", EventTypes.RUN_CANCELLED, RunCancelled.class,
                event -> ((ObjectNode) event.get("data")).remove("tenant"));

        assertThat(e.problems()).containsExactly("$.data.tenant: is required");
    }

    @Test
    void cancellationIsNotARunRequest() {
        InvalidEventException e = catchInvalid(() ->
                codec.decode(Fixtures.example("run-cancelled.v1.json"), EventTypes.RUN_REQUESTED, RunRequested.class));

        assertThat(e.problems()).containsExactly("$.type: expected dev.lumen.run.requested.v1 but was dev.lumen.run.cancelled.v1");
    }

    // ---- envelope

    @Test
    void wrongEventType() {
        InvalidEventException e = catchInvalid(() ->
                codec.decode(Fixtures.example("image-task.v1.json"), EventTypes.RUN_REQUESTED, RunRequested.class));

        assertThat(e).hasMessage("invalid dev.lumen.run.requested.v1: "
                + "$.type: expected dev.lumen.run.requested.v1 but was dev.lumen.image.task.v1");
    }

    @Test
    void missingEnvelopeAttribute() {
        InvalidEventException e = decode("run-requested.v1.json", EventTypes.RUN_REQUESTED, RunRequested.class,
                event -> event.remove("id"));

        assertThat(e.problems()).containsExactly("$.id: is required");
    }

    @Test
    void missingData() {
        InvalidEventException e = decode("run-requested.v1.json", EventTypes.RUN_REQUESTED, RunRequested.class,
                event -> event.remove("data"));

        assertThat(e.problems()).containsExactly("$.data: is required");
    }

    @Test
    void dataThatIsNotAnObject() {
        InvalidEventException e = decode("run-requested.v1.json", EventTypes.RUN_REQUESTED, RunRequested.class,
                event -> event.putArray("data"));

        assertThat(e.problems()).containsExactly("$.data: must be object but was array");
    }

    @Test
    void otherSpecVersion() {
        InvalidEventException e = decode("run-requested.v1.json", EventTypes.RUN_REQUESTED, RunRequested.class,
                event -> event.put("specversion", "0.3"));

        assertThat(e.problems()).containsExactly("$.specversion: must be \"1.0\"");
    }

    @Test
    void timeThatIsNotRfc3339() {
        InvalidEventException e = decode("run-requested.v1.json", EventTypes.RUN_REQUESTED, RunRequested.class,
                event -> event.put("time", "14/03/2026 09:30"));

        assertThat(e.problems()).containsExactly("$.time: must be a valid date-time");
    }

    @Test
    void dataschemaOfAnotherType() {
        InvalidEventException e = decode("run-requested.v1.json", EventTypes.RUN_REQUESTED, RunRequested.class,
                event -> event.put("dataschema", "lumen:schemas/image-task.v1.json"));

        assertThat(e.problems()).containsExactly("$.dataschema: must be lumen:schemas/run-requested.v1.json for "
                + "dev.lumen.run.requested.v1 but was lumen:schemas/image-task.v1.json");
    }

    @Test
    void extensionAttributesAreAcceptedAndDropped() {
        byte[] value = mutate("run-requested.v1.json", event -> event
                .put("traceparent", "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01")
                .put("partitionkey", "run-20260314-0001")
                .put("retries", 2));

        CloudEvent<RunRequested> event = codec.decode(value, EventTypes.RUN_REQUESTED, RunRequested.class);

        assertThat(event.data().runId()).isEqualTo("run-20260314-0001");
    }

    @Test
    void extensionAttributeWithAnIllegalName() {
        InvalidEventException e = decode("run-requested.v1.json", EventTypes.RUN_REQUESTED, RunRequested.class,
                event -> event.put("trace-parent", "x"));

        assertThat(e.problems()).containsExactly(
                "$['trace-parent']: is not an allowed name: does not match the regex pattern ^[a-z0-9]{1,20}$");
    }

    @Test
    void extensionAttributeThatIsNotAScalar() {
        InvalidEventException e = decode("run-requested.v1.json", EventTypes.RUN_REQUESTED, RunRequested.class,
                event -> event.putObject("comexample").put("a", 1));

        assertThat(e.problems()).containsExactly("$.comexample: must be [string, integer, boolean] but was object");
    }

    @Test
    void timeWithAnOffsetIsNormalisedToUtc() {
        byte[] value = mutate("run-requested.v1.json", event -> event.put("time", "2026-03-14T11:30:00+02:00"));

        assertThat(codec.decode(value, EventTypes.RUN_REQUESTED, RunRequested.class).time())
                .isEqualTo(Instant.parse("2026-03-14T09:30:00Z"));
    }

    @Test
    void envelopeThatIsNotAnObject() {
        InvalidEventException e = catchInvalid(() ->
                codec.decode("[1, 2]".getBytes(StandardCharsets.UTF_8), EventTypes.RUN_REQUESTED, RunRequested.class));

        assertThat(e.problems()).containsExactly("$: must be object but was array");
    }

    // ---- not JSON

    @Test
    void badJson() {
        InvalidEventException e = catchInvalid(() -> codec.decode("{\"specversion\": \"1.0\", id: 7}"
                .getBytes(StandardCharsets.UTF_8), EventTypes.RUN_REQUESTED, RunRequested.class));

        assertThat(e.getMessage()).startsWith("not JSON: ").contains("line 1, column");
        assertThat(e.problems()).hasSize(1);
    }

    @Test
    void truncatedJson() {
        byte[] example = Fixtures.example("run-requested.v1.json");
        byte[] truncated = Arrays.copyOf(example, example.length / 2);

        InvalidEventException e = catchInvalid(() -> codec.decode(truncated, EventTypes.RUN_REQUESTED, RunRequested.class));

        assertThat(e.getMessage()).startsWith("not JSON: Unexpected end-of-input").contains("(line ")
                .doesNotContain("Source");
    }

    @Test
    void trailingGarbage() {
        byte[] value = (new String(Fixtures.example("run-requested.v1.json"), StandardCharsets.UTF_8) + " {}")
                .getBytes(StandardCharsets.UTF_8);

        assertThatThrownBy(() -> codec.decode(value, EventTypes.RUN_REQUESTED, RunRequested.class))
                .isInstanceOf(InvalidEventException.class).hasMessageStartingWith("not JSON: ");
    }

    @Test
    void duplicateKeys() {
        byte[] value = "{\"specversion\":\"1.0\",\"specversion\":\"0.3\"}".getBytes(StandardCharsets.UTF_8);

        assertThatThrownBy(() -> codec.decode(value, EventTypes.RUN_REQUESTED, RunRequested.class))
                .isInstanceOf(InvalidEventException.class).hasMessageStartingWith("not JSON: ")
                .hasMessageContaining("specversion");
    }

    @Test
    void emptyOrMissingValue() {
        for (byte[] value : new byte[][] {null, new byte[0], "   ".getBytes(StandardCharsets.UTF_8)}) {
            assertThatThrownBy(() -> codec.decode(value, EventTypes.RUN_REQUESTED, RunRequested.class))
                    .isInstanceOf(InvalidEventException.class).hasMessageStartingWith("not JSON: ");
        }
    }

    @Test
    void seedBeyondTheRangeOfALong() {
        InvalidEventException e = decodeRunRequested(data -> data.put("seed", new BigInteger("99999999999999999999")));

        assertThat(e.problems()).singleElement().asString()
                .startsWith("$.data.seed: cannot be read as RunRequested: Numeric value (99999999999999999999) out of range");
    }

    @Test
    void numberTooLargeForADouble() {
        byte[] value = new String(Fixtures.example("run-requested.v1.json"), StandardCharsets.UTF_8)
                .replace("\"imageCount\": 500", "\"imageCount\": 1e400").getBytes(StandardCharsets.UTF_8);

        InvalidEventException e = catchInvalid(() -> codec.decode(value, EventTypes.RUN_REQUESTED, RunRequested.class));

        assertThat(e.problems()).containsExactly("$.data.imageCount: must be a finite number");
    }

    @Test
    void unknownExpectedTypeIsACallerBug() {
        assertThatThrownBy(() -> codec.decode(Fixtures.example("run-requested.v1.json"), "dev.lumen.nope.v1", Object.class))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("dev.lumen.nope.v1");
    }

    // ---- encode refuses what decode would refuse

    @Test
    void encodeRefusesInvalidData() {
        RunRequested invalid = new RunRequested("r1", "acme", null, "gradcam", new ModelRef("resnet50-v2"),
                new DatasetRef("imagenet-val"), 0, null, null, null);

        InvalidEventException e = catchInvalid(() ->
                codec.encode(CloudEvent.of("/lumen/run-service", EventTypes.RUN_REQUESTED, "r1", invalid)));

        assertThat(e).hasMessage("invalid dev.lumen.run.requested.v1: $.data.imageCount: must be >= 1");
    }

    @Test
    void encodeRefusesMissingRequiredData() {
        RunRequested noTenant = new RunRequested("r1", null, null, "gradcam", new ModelRef("resnet50-v2"),
                new DatasetRef("imagenet-val"), 10, null, null, null);

        InvalidEventException e = catchInvalid(() ->
                codec.encode(CloudEvent.of("/lumen/run-service", EventTypes.RUN_REQUESTED, "r1", noTenant)));

        assertThat(e.problems()).containsExactly("$.data.tenant: is required");
    }

    @Test
    void encodeRefusesAnExplainedResultWithoutExplanations() {
        ImageResult explained = Fixtures.explainedResult();
        ImageResult empty = explained.toBuilder().targetLayer(null).explanations(List.of()).build();

        InvalidEventException e = catchInvalid(() ->
                codec.encode(CloudEvent.of("/lumen/worker-service", EventTypes.IMAGE_RESULT, explained.runId(), empty)));

        assertThat(e.problems()).containsExactly("$.data.explanations: must have at least 1 item(s) but has 0");
    }

    @Test
    void encodeRefusesNonFiniteNumbers() {
        RunProgress running = Fixtures.runningProgress();
        RunProgress nan = new RunProgress(running.runId(), running.tenant(), running.name(), running.method(),
                running.modelId(), running.datasetId(), running.state(), running.total(), running.explained(),
                running.skipped(), running.failed(), Double.NaN, null, null, null, running.requestedAt(),
                running.updatedAt(), null);

        InvalidEventException e = catchInvalid(() ->
                codec.encode(CloudEvent.of("/lumen/results-service", EventTypes.RUN_PROGRESS, running.runId(), nan)));

        assertThat(e.problems()).contains("$.data.imagesPerSecond: must be a finite number");
    }

    @Test
    void encodeRefusesAnEnvelopeWithoutId() {
        CloudEvent<RunRequested> noId = new CloudEvent<>(CloudEvent.SPEC_VERSION, null, "/lumen/run-service",
                EventTypes.RUN_REQUESTED, "r1", Instant.now(), CloudEvent.CONTENT_TYPE,
                Schemas.schemaUriFor(EventTypes.RUN_REQUESTED), Fixtures.minimalRunRequested());

        InvalidEventException e = catchInvalid(() -> codec.encode(noId));

        assertThat(e.problems()).containsExactly("$.id: is required");
    }

    @Test
    void encodeRefusesAnUnknownType() {
        CloudEvent<RunRequested> unknown = new CloudEvent<>(CloudEvent.SPEC_VERSION, "e1", "/lumen/run-service",
                "dev.lumen.run.requested.v9", "r1", Instant.now(), CloudEvent.CONTENT_TYPE, null,
                Fixtures.minimalRunRequested());

        InvalidEventException e = catchInvalid(() -> codec.encode(unknown));

        assertThat(e.problems()).singleElement().asString()
                .startsWith("$.type: unknown event type dev.lumen.run.requested.v9");
    }

    @Test
    void encodeRefusesDataOfAnotherType() {
        CloudEvent<ImageTask> mislabelled = new CloudEvent<>(CloudEvent.SPEC_VERSION, "e1", "/lumen/run-service",
                EventTypes.RUN_REQUESTED, "r1", Instant.now(), CloudEvent.CONTENT_TYPE,
                Schemas.schemaUriFor(EventTypes.RUN_REQUESTED), Fixtures.imageTask());

        InvalidEventException e = catchInvalid(() -> codec.encode(mislabelled));

        assertThat(e.problems()).contains("$.data.imageId: is not a known field", "$.data.dataset: is required");
    }

    // ---- helpers

    private InvalidEventException decodeRunRequested(Consumer<ObjectNode> editData) {
        return decode("run-requested.v1.json", EventTypes.RUN_REQUESTED, RunRequested.class,
                event -> editData.accept((ObjectNode) event.get("data")));
    }

    private InvalidEventException decodeImageResult(Consumer<ObjectNode> editData) {
        return decode("image-result.v1.json", EventTypes.IMAGE_RESULT, ImageResult.class,
                event -> editData.accept((ObjectNode) event.get("data")));
    }

    private InvalidEventException decode(String example, String type, Class<?> dataType, Consumer<ObjectNode> edit) {
        byte[] value = mutate(example, edit);
        return catchInvalid(() -> codec.decode(value, type, dataType));
    }

    private byte[] mutate(String example, Consumer<ObjectNode> edit) {
        try {
            ObjectNode event = (ObjectNode) codec.mapper().readTree(Fixtures.example(example));
            edit.accept(event);
            return codec.mapper().writeValueAsBytes(event);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static InvalidEventException catchInvalid(ThrowingCallable call) {
        InvalidEventException e = catchThrowableOfType(InvalidEventException.class, call);
        assertThat(e).as("expected an InvalidEventException").isNotNull();
        return e;
    }
}
