package dev.lumen.results.insights;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.lumen.contracts.ImageResult;
import dev.lumen.contracts.ModelRef;
import dev.lumen.contracts.Outcome;
import dev.lumen.contracts.Target;
import dev.lumen.render.SaliencyMap;
import dev.lumen.results.storage.StoredResult;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Attributes of objects (faces) are measured against their own object's box, and their insights are
 * per attribute group and value ({@code age: 21-25}), the label the results show.
 */
class AttributeInsightsTest {

    private static final ObjectMapper MAPPER = new ObjectMapper();
    /** 40x20 image, 8x4 map (one cell = 5x5 pixels): two faces, left (cells x 0..1) and right (cells x 6..7). */
    private static final GroundTruth TRUTH = GroundTruth.parse("""
            {"images":[{"id":1,"file_name":"two.png"}],
             "annotations":[{"id":1,"image_id":1,"category_id":1,"bbox":[0,0,10,20]},
                            {"id":2,"image_id":1,"category_id":1,"bbox":[30,0,10,20]}],
             "categories":[{"id":1,"name":"face"}]}""".getBytes(StandardCharsets.UTF_8), MAPPER);

    @Test
    void eachFacesAttributeIsMeasuredInItsOwnFaceAndReportedByGroupAndValue() {
        Target left = new Target("attribute", "age: 21-25", 3, 0.6, List.of(0.0, 0.0, 10.0, 20.0), null, "age");
        Target right = new Target("attribute", "age: 31-40", 5, 0.5, List.of(30.0, 0.0, 40.0, 20.0), null, "age");
        // Both maps look at the left face only.
        SaliencyMap onLeft = map((x, y) -> x < 2 ? 1f : 0f);
        ImageResult result = ImageResult.builder().runId("run-faces").tenant("default").imageId("two.png")
                .imageKey("datasets/faces/images/two.png").imageTotal(1).outcome(Outcome.EXPLAINED).size(40, 20)
                .method("rise").model(new ModelRef("gear")).predictions(List.of(left, right)).worker("test").build();
        StoredResult stored = StoredResult.of(result, List.of(
                new StoredResult.StoredExplanation(left, null, "saliency-0.png", "heatmap-0.png", "overlay-0.png"),
                new StoredResult.StoredExplanation(right, null, "saliency-1.png", "heatmap-1.png", "overlay-1.png")));
        List<TargetMeasure> measures = InsightsCalculator.measure(stored, List.of(onLeft, onLeft), TRUTH);

        ImageInsight leftFace = measures.get(0).insight();
        ImageInsight rightFace = measures.get(1).insight();
        assertThat(leftFace.inBoxEnergy()).isCloseTo(1, within(1e-9));
        assertThat(leftFace.boxShare()).isCloseTo(0.25, within(1e-9));
        assertThat(leftFace.pointingHit()).isTrue();
        assertThat(rightFace.inBoxEnergy()).as("the right face's attribute looked at the other face").isZero();
        assertThat(rightFace.pointingHit()).isFalse();

        InsightsAccumulator accumulator = new InsightsAccumulator("run-faces", TRUTH);
        accumulator.add(stored, measures);
        assertThat(accumulator.snapshot().classes()).extracting(ClassInsights::label)
                .containsExactlyInAnyOrder("age: 21-25", "age: 31-40");
    }

    @FunctionalInterface
    private interface Cell {
        float value(int x, int y);
    }

    private static SaliencyMap map(Cell cell) {
        float[] values = new float[8 * 4];
        for (int y = 0; y < 4; y++) {
            for (int x = 0; x < 8; x++) {
                values[y * 8 + x] = cell.value(x, y);
            }
        }
        return new SaliencyMap(values, 8, 4);
    }
}
