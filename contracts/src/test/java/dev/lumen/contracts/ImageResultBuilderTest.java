package dev.lumen.contracts;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** The builder is a way to write results in Java only: the JSON of a result does not depend on it. */
class ImageResultBuilderTest {

    private final EventCodec codec = new EventCodec();

    @Test
    void toBuilderRebuildsAnEqualResultWhoseJsonIsByteForByteTheSame() throws Exception {
        for (String example : List.of("image-result.v1.json", "image-result-skipped.v1.json")) {
            CloudEvent<ImageResult> event = codec.decode(Fixtures.example(example), EventTypes.IMAGE_RESULT,
                    ImageResult.class);
            ImageResult rebuilt = event.data().toBuilder().build();

            assertThat(rebuilt).as(example).isEqualTo(event.data());
            assertThat(codec.mapper().writeValueAsString(rebuilt)).as(example)
                    .isEqualTo(codec.mapper().writeValueAsString(event.data()));
        }
    }

    @Test
    void theJsonNamesTheRecordsComponentsAndNothingOfTheBuilder() {
        JsonNode json = codec.mapper().valueToTree(Fixtures.explainedResult().toBuilder().targetLayer("conv").build());

        List<String> fields = new ArrayList<>();
        json.fieldNames().forEachRemaining(fields::add);
        assertThat(fields).containsExactly("runId", "tenant", "imageId", "imageKey", "imageTotal", "outcome", "width",
                "height", "method", "model", "targetLayer", "predictions", "explanations", "timing", "worker");
    }

    @Test
    void forTaskCopiesWhatTheTaskSaysAboutTheImage() {
        ImageTask task = Fixtures.imageTask();

        ImageResult result = ImageResult.forTask(task).outcome(Outcome.FAILED).reason("corrupt-image").build();

        // The one positional construction left: it pins each builder setter to its component.
        assertThat(result).isEqualTo(new ImageResult(task.runId(), task.tenant(), task.imageId(), task.imageKey(),
                task.imageTotal(), Outcome.FAILED, "corrupt-image", null, null, task.method(), task.model(), null, null,
                null, null, null, null));
    }
}
