package dev.lumen.results.storage;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.lumen.contracts.ImageResult;
import dev.lumen.contracts.Metrics;
import dev.lumen.contracts.ModelRef;
import dev.lumen.contracts.Outcome;
import dev.lumen.contracts.Target;
import dev.lumen.contracts.Timing;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** {@code result.json} keeps its format: the event's fields at the top level, the maps replaced by file names. */
class StoredResultTest {

    private static final ObjectMapper JSON = new ObjectMapper()
            .configure(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, true);
    private static final Target CAT = new Target("class", "cat", 3, 0.9, null);

    /** A record as results-service wrote it before the stored record reused the event's record. */
    private static final String WRITTEN_BEFORE = """
            {"runId":"run-1","tenant":"t","imageId":"a.png","imageKey":"datasets/d/images/a.png","imageTotal":2,
             "outcome":"EXPLAINED","width":40,"height":30,"method":"gradcam","model":{"id":"m"},"targetLayer":"conv3",
             "predictions":[{"kind":"class","label":"cat","index":3,"score":0.9}],
             "explanations":[{"target":{"kind":"class","label":"cat","index":3,"score":0.9},
                              "metrics":{"deletionAuc":0.1,"insertionAuc":0.8},
                              "saliency":"saliency-0.png","heatmap":"heatmap-0.png","overlay":"overlay-0.png"}],
             "timing":{"explainMs":12,"forwardPasses":1},"worker":"w"}""";

    @Test
    void aRecordIsTheEventsJsonWithFileNamesInPlaceOfTheMaps() {
        ImageResult event = explained();
        StoredResult stored = StoredResult.of(event, List.of(files()));

        ObjectNode expected = JSON.valueToTree(event);
        expected.set("explanations", JSON.valueToTree(List.of(files())));
        assertThat((JsonNode) JSON.valueToTree(stored)).isEqualTo(expected);
        assertThat(stored.result().explanations()).isNull();
    }

    @Test
    void recordsWrittenBeforeReadTheSameAndWriteBackTheSame() throws Exception {
        StoredResult read = JSON.readValue(WRITTEN_BEFORE, StoredResult.class);

        assertThat(read).isEqualTo(StoredResult.of(explained(), List.of(files())));
        assertThat(JSON.readTree(JSON.writeValueAsString(read))).isEqualTo(JSON.readTree(WRITTEN_BEFORE));
    }

    @Test
    void aSkippedImageHasNoExplanations() throws Exception {
        ImageResult skipped = explained().toBuilder().outcome(Outcome.SKIPPED).reason("nothing to explain")
                .explanations(null).build();

        String json = JSON.writeValueAsString(StoredResult.of(skipped, null));

        assertThat(JSON.readTree(json).has("explanations")).isFalse();
        assertThat(JSON.readValue(json, StoredResult.class)).isEqualTo(StoredResult.of(skipped, null));
    }

    private static ImageResult explained() {
        return ImageResult.builder().runId("run-1").tenant("t").imageId("a.png").imageKey("datasets/d/images/a.png")
                .imageTotal(2).outcome(Outcome.EXPLAINED).size(40, 30).method("gradcam").model(new ModelRef("m"))
                .targetLayer("conv3").predictions(List.of(CAT)).timing(new Timing(12, 1)).worker("w").build();
    }

    private static StoredResult.StoredExplanation files() {
        return new StoredResult.StoredExplanation(CAT, new Metrics(0.1, 0.8), "saliency-0.png", "heatmap-0.png",
                "overlay-0.png");
    }
}
