package dev.lumen.contracts;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The hand-written examples (also the README's documentation) decode, and lose nothing on the way. */
class EventExamplesTest {

    private final EventCodec codec = new EventCodec();

    @ParameterizedTest
    @CsvSource({
            "run-requested.v1.json,        dev.lumen.run.requested.v1",
            "run-cancelled.v1.json,        dev.lumen.run.cancelled.v1",
            "run-deleted.v1.json,          dev.lumen.run.deleted.v1",
            "image-task.v1.json,           dev.lumen.image.task.v1",
            "image-result.v1.json,         dev.lumen.image.result.v1",
            "image-result-skipped.v1.json, dev.lumen.image.result.v1",
            "run-progress.v1.json,         dev.lumen.run.progress.v1",
            "image-preview.v1.json,        dev.lumen.image.preview.v1",
            "dead-letter.v1.json,          dev.lumen.dead-letter.v1"})
    void exampleDecodesAndReencodesToTheSameJson(String file, String type) throws Exception {
        byte[] example = Fixtures.example(file);

        CloudEvent<?> event = codec.decode(example, type, Fixtures.DATA_CLASS_BY_TYPE.get(type));

        // The tracing extension (traceparent, tracestate) is kept; other extensions would be dropped.
        JsonNode expected = codec.mapper().readTree(example);
        assertThat(codec.mapper().readTree(codec.encode(event))).isEqualTo(expected);
    }

    @Test
    void runRequestedExample() {
        CloudEvent<RunRequested> event = codec.decode(Fixtures.example("run-requested.v1.json"),
                EventTypes.RUN_REQUESTED, RunRequested.class);

        assertThat(event.subject()).isEqualTo("run-20260314-0001");
        assertThat(event.time()).isEqualTo(Instant.parse("2026-03-14T09:30:00Z"));
        RunRequested request = event.data();
        assertThat(request.runId()).isEqualTo(event.subject());
        assertThat(request.model()).isEqualTo(new ModelRef("resnet50-v2"));
        assertThat(request.dataset()).isEqualTo(new DatasetRef("imagenet-val-2026-03"));
        assertThat(request.imageCount()).isEqualTo(500);
        assertThat(request.seed()).isEqualTo(42L);
        assertThat(request.allowFewer()).isFalse();
        assertThat(request.parameters()).containsEntry("targetLayer", "conv5_block3_out").containsEntry("topK", 3);
    }

    @Test
    void runCancelledExample() {
        CloudEvent<RunCancelled> event = codec.decode(Fixtures.example("run-cancelled.v1.json"),
                EventTypes.RUN_CANCELLED, RunCancelled.class);

        assertThat(event.subject()).isEqualTo(event.data().runId());
        assertThat(event.data()).isEqualTo(new RunCancelled("run-20260314-0001", "acme", "wrong target layer"));
        assertThat(RunCancelled.markerKey(event.data().runId())).isEqualTo("runs/run-20260314-0001/cancelled");
    }

    @Test
    void runDeletedExample() {
        CloudEvent<RunDeleted> event = codec.decode(Fixtures.example("run-deleted.v1.json"),
                EventTypes.RUN_DELETED, RunDeleted.class);

        assertThat(event.data()).isEqualTo(new RunDeleted("run-20260314-0001", "acme"));
    }

    /** One topic carries requests, cancellations and deletions: consumers pick by type first. */
    @Test
    void typeOfTellsTheEventTypeWithoutValidating() {
        assertThat(codec.typeOf(Fixtures.example("run-cancelled.v1.json"))).contains(EventTypes.RUN_CANCELLED);
        assertThat(codec.typeOf(Fixtures.example("run-requested.v1.json"))).contains(EventTypes.RUN_REQUESTED);
        assertThat(codec.typeOf("{\"type\":\"nonsense\"}".getBytes(StandardCharsets.UTF_8))).contains("nonsense");
        assertThat(codec.typeOf("{\"type\":3}".getBytes(StandardCharsets.UTF_8))).isEmpty();
        assertThat(codec.typeOf("not json".getBytes(StandardCharsets.UTF_8))).isEmpty();
        assertThat(codec.typeOf(new byte[0])).isEmpty();
        assertThat(codec.typeOf(null)).isEmpty();
    }

    @Test
    void imageTaskExample() {
        ImageTask task = codec.decode(Fixtures.example("image-task.v1.json"), EventTypes.IMAGE_TASK, ImageTask.class)
                .data();

        assertThat(Topics.imageTaskKey(task.runId(), task.imageId())).isEqualTo("run-20260314-0002/000000397133");
        assertThat(task.imageIndex()).isEqualTo(17);
        assertThat(task.seed()).isEqualTo(7312456198235512321L);
        assertThat(task.parameters()).containsEntry("masks", 4000).containsEntry("probability", 0.5);
    }

    @Test
    void imageResultExampleCarriesAnExtensionAttributeThatIsIgnored() {
        ImageResult result = codec.decode(Fixtures.example("image-result.v1.json"), EventTypes.IMAGE_RESULT,
                ImageResult.class).data();

        assertThat(result.outcome()).isEqualTo(Outcome.EXPLAINED);
        assertThat(result.reason()).isNull();
        assertThat(result.predictions()).hasSize(2);
        Explanation explanation = result.explanations().get(0);
        assertThat(explanation.target()).isEqualTo(Fixtures.person());
        assertThat(explanation.saliency().encoding()).isEqualTo(EncodedSaliencyMap.PNG16_BASE64);
        assertThat(explanation.saliency().data()).isEqualTo(Fixtures.PNG16_4X4);
        assertThat(explanation.metrics()).isEqualTo(new Metrics(0.137, 0.684));
        assertThat(result.timing()).isEqualTo(new Timing(6841, 4001));
    }

    @Test
    void skippedImageResultExample() {
        ImageResult result = codec.decode(Fixtures.example("image-result-skipped.v1.json"), EventTypes.IMAGE_RESULT,
                ImageResult.class).data();

        assertThat(result.outcome()).isEqualTo(Outcome.SKIPPED);
        assertThat(result.reason()).isEqualTo("no-prediction-above-threshold");
        assertThat(result.predictions()).isEmpty();
        assertThat(result.explanations()).isNull();
    }

    @Test
    void runProgressExample() {
        RunProgress progress = codec.decode(Fixtures.example("run-progress.v1.json"), EventTypes.RUN_PROGRESS,
                RunProgress.class).data();

        assertThat(progress.state()).isEqualTo(RunState.COMPLETED_WITH_SKIPS);
        assertThat(progress.state().terminal()).isTrue();
        assertThat(progress.done()).isEqualTo(progress.total());
        assertThat(progress.etaSeconds()).isNull();
        assertThat(progress.skipReasons()).containsEntry("no-prediction-above-threshold", 11);
        assertThat(progress.completedAt()).isEqualTo(Instant.parse("2026-03-14T09:41:27.905Z"));
    }

    /** The dead letter's reason is exactly what the codec says about its payload. */
    @Test
    void deadLetterExampleReasonIsWhatTheCodecReportsForItsPayload() {
        DeadLetter letter = codec.decode(Fixtures.example("dead-letter.v1.json"), EventTypes.DEAD_LETTER,
                DeadLetter.class).data();

        assertThat(letter.topic()).isEqualTo(Topics.IMAGE_RESULTS);
        assertThatThrownBy(() -> codec.decode(letter.payload().getBytes(StandardCharsets.UTF_8),
                EventTypes.IMAGE_RESULT, ImageResult.class))
                .isInstanceOf(InvalidEventException.class)
                .hasMessage(letter.reason())
                .extracting(e -> ((InvalidEventException) e).problems())
                .isEqualTo(List.of("$.data.reason: is required"));
    }

    /** The README shows the examples verbatim; this keeps the documentation from drifting. */
    @Test
    void readmeShowsEveryExampleVerbatim() throws Exception {
        String readme = Files.readString(Path.of("README.md"));
        for (String file : List.of("run-requested.v1.json", "run-cancelled.v1.json", "run-deleted.v1.json",
                "image-task.v1.json", "image-result.v1.json", "image-result-skipped.v1.json", "run-progress.v1.json",
                "image-preview.v1.json", "dead-letter.v1.json")) {
            String example = new String(Fixtures.example(file), StandardCharsets.UTF_8).strip();
            assertThat(readme).as(file).contains("```json\n" + example + "\n```");
        }
    }

    @Test
    void examplesUseTheSchemaUriOfTheirType() throws Exception {
        for (String file : List.of("run-requested.v1.json", "run-cancelled.v1.json", "run-deleted.v1.json",
                "image-task.v1.json", "image-result.v1.json", "run-progress.v1.json", "image-preview.v1.json",
                "dead-letter.v1.json")) {
            JsonNode json = codec.mapper().readTree(Fixtures.example(file));
            assertThat(json.get("dataschema").asText()).isEqualTo(Schemas.schemaUriFor(json.get("type").asText()));
            assertThat(Schemas.resourcePathFor(json.get("dataschema").asText())).isEqualTo("schemas/" + file);
        }
    }
}
