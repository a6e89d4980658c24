package dev.lumen.explainer.targets;

import static org.assertj.core.api.Assertions.assertThat;

import dev.lumen.explainer.model.InputGeometry;
import java.util.List;
import org.junit.jupiter.api.Test;

class SegmentTargetSelectorTest {

    /** A 4x2 output over an 8x4 input, from an original of 16x8: every output pixel is 4x4 original pixels. */
    private static final InputGeometry GEOMETRY = new InputGeometry(16, 8, 8, 4, 0, 0, 8, 4);

    @Test
    void aSingleSigmoidChannelIsTheForegroundAboveTheThreshold() {
        float[] scores = {0.1f, 0.9f, 0.7f, 0.2f,
                          0.0f, 0.8f, 0.4f, 0.1f};
        var selection = new SegmentTargetSelector(List.of("person"), null, 0.5).select(new PixelScores(scores, 4, 2, 1), null, GEOMETRY);

        assertThat(selection.skippedReason()).isNull();
        assertThat(selection.targets()).hasSize(1);
        SegmentTarget target = (SegmentTarget) selection.targets().get(0);
        assertThat(target.prediction().kind()).isEqualTo("segment");
        assertThat(target.prediction().label()).isEqualTo("person");
        assertThat(target.prediction().score()).isCloseTo(0.8, org.assertj.core.data.Offset.offset(1e-6));
        assertThat(target.prediction().box()).containsExactly(4, 0, 12, 8);
        assertThat(target.gradientSeed(8)).hasValueSatisfying(seed -> assertThat(seed).containsExactly(0, 1, 1, 0, 0, 1, 0, 0));
        assertThat(target.score(new PixelScores(new float[] {1, 0.5f, 0.5f, 1, 1, 0.2f, 1, 1}, 4, 2, 1))).isCloseTo(0.4, org.assertj.core.data.Offset.offset(1e-6));
    }

    @Test
    void nothingAboveTheThresholdIsSkipped() {
        var selection = new SegmentTargetSelector(List.of("person"), null, 0.5)
                .select(new PixelScores(new float[8], 4, 2, 1), null, GEOMETRY);
        assertThat(selection.targets()).isEmpty();
        assertThat(selection.predictions()).isEmpty();
        assertThat(selection.skippedReason()).isEqualTo("no prediction above 0.5");
    }

    @Test
    void classesAreArgmaxPerPixelAndTheBackgroundIsNotExplained() {
        // Three classes per pixel on a 2x2 output: background, cat, background, dog.
        float[] scores = {0.9f, 0.05f, 0.05f, 0.2f, 0.7f, 0.1f, 0.6f, 0.3f, 0.1f, 0.1f, 0.3f, 0.6f};
        var selection = new SegmentTargetSelector(List.of("sky", "cat", "dog"), 0, 0.5)
                .select(new PixelScores(scores, 2, 2, 3), null, new InputGeometry(2, 2, 2, 2, 0, 0, 2, 2));
        assertThat(selection.targets()).extracting(t -> t.prediction().label()).containsExactly("cat", "dog");
        assertThat(selection.targets().get(0).prediction().box()).containsExactly(1, 0, 2, 1);
        assertThat(selection.targets().get(1).gradientSeed(12))
                .hasValueSatisfying(seed -> assertThat(seed).containsExactly(0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1));
    }
}
