package dev.lumen.explainer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.offset;

import dev.lumen.fixtures.DetectorFixture;
import dev.lumen.render.SaliencyMap;
import java.awt.image.BufferedImage;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * {@link Explainer#explainAll} must give each image what {@link Explainer#explain} gives it alone:
 * the same predictions, targets, maps and metrics, whatever else shares its forward and gradient runs.
 */
class BatchedExplanationTest {

    @Test
    void aClassifierBatchGivesEachImageItsOwnExplanationAndSkipsTheImageWithoutPattern() throws Exception {
        Explainer explainer = new Explainer(SquaresModel.model());
        List<BufferedImage> images = new ArrayList<>();
        for (var image : SquaresModel.heldOut().subList(0, 5)) {
            images.add(GroundTruthTest.read(image));
        }
        // All black: no prediction above the threshold, so this image alone is skipped.
        images.add(2, new BufferedImage(96, 96, BufferedImage.TYPE_INT_RGB));
        ExplainOptions options = ExplainOptions.of("gradcam");

        List<ExplainResult> batched = explainer.explainAll(images, Collections.nCopies(images.size(), options));

        assertThat(batched).hasSize(images.size());
        for (int i = 0; i < images.size(); i++) {
            assertSame(batched.get(i), explainer.explain(images.get(i), options), "image " + i);
        }
        assertThat(batched.get(2).skippedReason()).isEqualTo("no prediction above 0.5");
        assertThat(batched.get(0).explanations()).isNotEmpty();
    }

    @Test
    void aDetectorBatchGivesEveryDetectionOfEveryImageItsOwnMap() throws Exception {
        Explainer explainer = new Explainer(DetectorModel.model());
        List<BufferedImage> images = new ArrayList<>();
        for (DetectorFixture.LabelledImage image : DetectorModel.heldOut().subList(0, 6)) {
            images.add(Images.decode(Files.readAllBytes(image.file())));
        }
        ExplainOptions options = new ExplainOptions("odam", 7L, Map.of("metrics", false));

        List<ExplainResult> batched = explainer.explainAll(images, Collections.nCopies(images.size(), options));

        int detections = 0;
        for (int i = 0; i < images.size(); i++) {
            assertSame(batched.get(i), explainer.explain(images.get(i), options), "image " + i);
            assertThat(batched.get(i).notes()).as("no fallback to D-RISE").isEmpty();
            detections += batched.get(i).explanations().size();
        }
        assertThat(detections).isGreaterThan(images.size());
    }

    @Test
    void aBlackBoxMethodExplainsTheImagesOneAfterTheOther() throws Exception {
        Explainer explainer = new Explainer(SquaresModel.model());
        List<BufferedImage> images = List.of(GroundTruthTest.read(SquaresModel.heldOut().get(0)),
                GroundTruthTest.read(SquaresModel.heldOut().get(1)));
        ExplainOptions options = new ExplainOptions("rise", 3L, Map.of("masks", 200, "metrics", false));

        List<ExplainResult> batched = explainer.explainAll(images, List.of(options, options));

        for (int i = 0; i < images.size(); i++) {
            assertSame(batched.get(i), explainer.explain(images.get(i), options), "image " + i);
        }
    }

    @Test
    void oneBatchTakesOneMethodAndOneSetOfParameters() throws Exception {
        Explainer explainer = new Explainer(SquaresModel.model());
        BufferedImage image = GroundTruthTest.read(SquaresModel.heldOut().get(0));
        assertThatThrownBy(() -> explainer.explainAll(List.of(image, image),
                List.of(ExplainOptions.of("gradcam"), new ExplainOptions("gradcam", null, Map.of("metrics", false)))))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("one set of parameters");
    }

    private static void assertSame(ExplainResult actual, ExplainResult expected, String what) {
        assertThat(actual.skippedReason()).as(what).isEqualTo(expected.skippedReason());
        assertThat(actual.targetLayer()).as(what).isEqualTo(expected.targetLayer());
        assertThat(actual.predictions()).as(what + " predictions").hasSameSizeAs(expected.predictions());
        for (int p = 0; p < expected.predictions().size(); p++) {
            assertThat(actual.predictions().get(p).label()).as(what).isEqualTo(expected.predictions().get(p).label());
            assertThat(actual.predictions().get(p).score()).as(what)
                    .isCloseTo(expected.predictions().get(p).score(), offset(1e-4));
        }
        assertThat(actual.explanations()).as(what + " explanations").hasSameSizeAs(expected.explanations());
        for (int t = 0; t < expected.explanations().size(); t++) {
            TargetExplanation mine = actual.explanations().get(t);
            TargetExplanation alone = expected.explanations().get(t);
            assertThat(mine.target().label()).as(what).isEqualTo(alone.target().label());
            assertThat(mine.target().index()).as(what).isEqualTo(alone.target().index());
            assertThat(maxDifference(mine.saliency(), alone.saliency())).as(what + " map").isLessThan(1e-3f);
            if (alone.deletionAuc() != null) {
                assertThat(mine.deletionAuc()).as(what).isCloseTo(alone.deletionAuc(), offset(1e-3));
                assertThat(mine.insertionAuc()).as(what).isCloseTo(alone.insertionAuc(), offset(1e-3));
            }
            assertThat(mine.grid()).as(what + " grid").isEqualTo(alone.grid());
        }
    }

    private static float maxDifference(SaliencyMap a, SaliencyMap b) {
        assertThat(a.width()).isEqualTo(b.width());
        assertThat(a.height()).isEqualTo(b.height());
        float max = 0;
        for (int y = 0; y < a.height(); y++) {
            for (int x = 0; x < a.width(); x++) {
                max = Math.max(max, Math.abs(a.get(x, y) - b.get(x, y)));
            }
        }
        return max;
    }
}
