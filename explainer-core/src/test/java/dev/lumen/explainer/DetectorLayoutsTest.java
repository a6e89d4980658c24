package dev.lumen.explainer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.lumen.explainer.method.OnlineSaliency;
import dev.lumen.explainer.model.LoadedModel;
import dev.lumen.fixtures.DetectorExports;
import dev.lumen.fixtures.DetectorFixture;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The detector fixture exported in every declared output layout (and as a {@code uint8},
 * dynamic-size Object Detection API export) explains like the Object Detection API export of the
 * same weights: the same detections, and D-RISE maps from the same masks that agree.
 */
class DetectorLayoutsTest {

    private static final ExplainOptions DRISE = new ExplainOptions("drise", 7L,
            Map.of("masks", 400, "grid", 8, "metrics", false, "earlyStop", false));
    private static final int IMAGES = 4;

    @ParameterizedTest
    @EnumSource(DetectorExports.Layout.class)
    void everyLayoutGivesTheObjectDetectionApiExportsDetectionsAndMaps(DetectorExports.Layout layout) throws IOException {
        LoadedModel reference = layout.masks() ? InstanceSegmenterModel.model() : DetectorModel.model();
        Path fixtureDir = layout.masks() ? InstanceSegmenterModel.dir() : DetectorModel.dir();
        Path modelDir = DetectorExports.export(fixtureDir, Path.of("target", "detector-layouts", layout.id()), layout);
        List<DetectorFixture.LabelledImage> images = (layout.masks() ? InstanceSegmenterModel.heldOut()
                : DetectorModel.heldOut()).subList(0, IMAGES);
        // Mask layouts carry the same foreground map in another form (whole-input or prototypes instead of
        // box-relative samples); a uint8 input rounds every masked image to whole pixel values.
        double minPearson = layout.masks() ? 0.9 : layout == DetectorExports.Layout.OBJECT_DETECTION_API_UINT8 ? 0.97 : 0.999;
        double scoreTolerance = layout == DetectorExports.Layout.OBJECT_DETECTION_API_UINT8 ? 0.02 : 1e-4;
        double lowest = 1;
        int targets = 0;
        try (LoadedModel exported = LoadedModel.load(modelDir)) {
            Explainer expected = new Explainer(reference);
            Explainer actual = new Explainer(exported);
            for (DetectorFixture.LabelledImage image : images) {
                BufferedImage decoded = Images.decode(Files.readAllBytes(image.file()));
                ExplainResult want = expected.explain(decoded, DRISE);
                ExplainResult got = actual.explain(decoded, DRISE);
                assertThat(got.explanations()).hasSameSizeAs(want.explanations());
                for (int t = 0; t < want.explanations().size(); t++) {
                    Prediction w = want.explanations().get(t).target();
                    Prediction g = got.explanations().get(t).target();
                    assertThat(g.label()).isEqualTo(w.label());
                    assertThat(g.score()).isCloseTo(w.score(), within(scoreTolerance));
                    assertThat(g.box()).containsExactly(w.box(), within(0.5));
                    double pearson = OnlineSaliency.pearson(want.explanations().get(t).saliency().values(),
                            got.explanations().get(t).saliency().values());
                    lowest = Math.min(lowest, pearson);
                    targets++;
                }
            }
        }
        System.out.printf("layout %s: %d targets on %d images, lowest Pearson with the object-detection-api map %.4f%n",
                layout.id(), targets, IMAGES, lowest);
        assertThat(targets).isGreaterThanOrEqualTo(IMAGES);
        assertThat(lowest).isGreaterThanOrEqualTo(minPearson);
    }

    /**
     * The uint8 export of dynamic size, described with {@code "size": "image"}: a 192 x 192 image is
     * explained at 192 x 192 (the fixed description would shrink it to 96), its objects are found and
     * each D-RISE map peaks inside its detection.
     */
    @Test
    void aDynamicSizeExportExplainsEachImageAtItsOwnSize() throws IOException {
        Path fixed = DetectorExports.export(DetectorModel.dir(), Path.of("target", "detector-layouts", "odapi-uint8"),
                DetectorExports.Layout.OBJECT_DETECTION_API_UINT8);
        Path own = Path.of("target", "detector-layouts", "odapi-uint8-image-size");
        Files.createDirectories(own.resolve("variables"));
        Files.copy(fixed.resolve("saved_model.pb"), own.resolve("saved_model.pb"),
                java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        Files.writeString(own.resolve("lumen-model.json"), Files.readString(fixed.resolve("lumen-model.json"))
                .replace("\"dtype\" : \"uint8\"", "\"dtype\" : \"uint8\", \"size\" : \"image\", \"sizeMultiple\" : 16")
                .replace("\"width\" : 96", "\"width\" : 640").replace("\"height\" : 96", "\"height\" : 640"));
        BufferedImage image = DetectorFixture.sampleImage(11, 192, 3);
        try (LoadedModel model = LoadedModel.load(own)) {
            assertThat(model.preprocessor().prepare(image).width()).isEqualTo(192);
            ExplainResult result = new Explainer(model).explain(image, DRISE);
            assertThat(result.explanations()).hasSizeGreaterThanOrEqualTo(2);
            for (TargetExplanation explanation : result.explanations()) {
                assertThat(explanation.saliency().width()).isEqualTo(192);
                int peak = explanation.saliency().argMax();
                double[] box = explanation.target().box();
                assertThat(peak % 192 + 0.5).isBetween(box[0], box[2]);
                assertThat(peak / 192 + 0.5).isBetween(box[1], box[3]);
            }
        }
    }
}
