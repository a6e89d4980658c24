package dev.lumen.explainer;

import static org.assertj.core.api.Assertions.assertThat;

import dev.lumen.catalogue.Family;
import dev.lumen.catalogue.Method;
import dev.lumen.catalogue.MethodCatalogue;
import dev.lumen.catalogue.Task;
import dev.lumen.fixtures.SquaresFixture.LabelledImage;
import dev.lumen.explainer.metric.PointingGame;
import dev.lumen.explainer.model.LayerGeometry;
import java.awt.image.BufferedImage;
import java.nio.file.Files;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** Explanations on the squares fixture, whose deciding object (the patterned square) is known. */
class GroundTruthTest {

    private static Explainer explainer;
    private static List<LabelledImage> images;

    @BeforeAll
    static void buildFixture() {
        explainer = new Explainer(SquaresModel.model());
        images = SquaresModel.heldOut();
    }

    @Test
    void theFixtureModelClassifiesHeldOutImages() throws Exception {
        int correct = 0;
        for (LabelledImage image : images) {
            ExplainResult result = explainer.explain(read(image), new ExplainOptions("gradcam", null, Map.of("metrics", false)));
            correct += result.predictions().get(0).index() == image.index() ? 1 : 0;
        }
        assertThat(correct).isGreaterThanOrEqualTo(images.size() - 1);
    }

    @Test
    void discoversTheLastConvolutionAndTracesWhereItsCellsSit() throws Exception {
        ExplainResult result = explainer.explain(read(images.get(0)), ExplainOptions.of("gradcam"));
        assertThat(result.targetLayer()).isEqualTo("relu4");
        // Three stride-2 3x3 SAME convolutions on 96 pixels pad only bottom/right, so cell 0 of the
        // 12x12 layer sees input rows 0..14: its centre is at 7.5, not at 4 as a plain resize assumes.
        LayerGeometry geometry = SquaresModel.model().targetLayer(null).geometry();
        assertThat(geometry).isEqualTo(new LayerGeometry(7.5, 8, 7.5, 8, true));
    }

    /** Every gradient method of the catalogue that explains classifiers: a new one is tested by being declared. */
    static Stream<String> gradientMethods() {
        return MethodCatalogue.methodsFor(Task.CLASSIFICATION).stream().filter(m -> m.family() == Family.GRADIENT)
                .map(Method::id);
    }

    @ParameterizedTest
    @MethodSource("gradientMethods")
    void theMapMaximumLiesOnTheSquare(String method) throws Exception {
        int hits = 0;
        for (LabelledImage image : images) {
            BufferedImage picture = read(image);
            ExplainResult result = explainer.explain(picture,
                    new ExplainOptions(method, null, Map.of("class", image.label(), "metrics", false)));
            TargetExplanation explanation = result.explanations().get(0);
            if (PointingGame.hit(explanation.saliency(), image.box(), picture.getWidth(), picture.getHeight(), 0)) {
                hits++;
            }
        }
        double share = hits / (double) images.size();
        System.out.printf("pointing game %s: %d/%d = %.1f%%%n", method, hits, images.size(), 100 * share);
        assertThat(share).as("pointing game of %s", method).isGreaterThanOrEqualTo(0.95);
    }

    static BufferedImage read(LabelledImage image) throws Exception {
        return Images.decode(Files.readAllBytes(image.file()));
    }
}
