package dev.lumen.explainer;

import static org.assertj.core.api.Assertions.assertThat;

import dev.lumen.explainer.detection.Boxes;
import dev.lumen.explainer.metric.PointingGame;
import dev.lumen.fixtures.DetectorFixture;
import dev.lumen.render.SaliencyMap;
import java.io.IOException;
import java.nio.file.Files;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Gradient methods on the detector fixture, each detection seeded with its own score element: the
 * maps must point at their object at least as often as D-RISE's, and when two objects of the same
 * class share an image, each map must sit on its own object (a class-wide map would light both).
 */
class DetectorGradientTest {

    private static final ExplainOptions DRISE = new ExplainOptions("drise", 7L,
            Map.of("masks", 1000, "grid", 8, "metrics", false));

    @ParameterizedTest
    @ValueSource(strings = {"odam", "hirescam", "gradcam"})
    void detectionMapsPointAtTheirObjectAtLeastAsOftenAsDRise(String method) throws IOException {
        Explainer explainer = new Explainer(DetectorModel.model());
        ExplainOptions gradient = new ExplainOptions(method, 7L, Map.of("metrics", false));
        int objects = 0;
        int gradientHits = 0;
        int driseHits = 0;
        int ownObject = 0;
        int sameClassPairs = 0;
        double gradientSeconds = 0;
        for (DetectorFixture.LabelledImage image : DetectorModel.heldOut()) {
            var decoded = Images.decode(Files.readAllBytes(image.file()));
            long start = System.nanoTime();
            ExplainResult maps = explainer.explain(decoded, gradient);
            gradientSeconds += (System.nanoTime() - start) / 1e9;
            assertThat(maps.notes()).as("no fallback to D-RISE").isEmpty();
            assertThat(maps.targetLayer()).isNotNull();
            ExplainResult reference = explainer.explain(decoded, DRISE);
            List<DetectorFixture.LabelledImage.Object> truth = image.objects();
            for (DetectorFixture.LabelledImage.Object object : truth) {
                objects++;
                SaliencyMap mine = mapFor(maps, object);
                SaliencyMap theirs = mapFor(reference, object);
                if (mine != null && PointingGame.hit(mine, object.box(), DetectorFixture.SIZE, DetectorFixture.SIZE, 0)) {
                    gradientHits++;
                }
                if (theirs != null && PointingGame.hit(theirs, object.box(), DetectorFixture.SIZE, DetectorFixture.SIZE, 0)) {
                    driseHits++;
                }
            }
            if (truth.size() == 2 && truth.get(0).label() == truth.get(1).label()) {
                for (int i = 0; i < 2; i++) {
                    SaliencyMap mine = mapFor(maps, truth.get(i));
                    if (mine == null) {
                        continue;
                    }
                    sameClassPairs++;
                    if (meanInside(mine, truth.get(i).box()) > meanInside(mine, truth.get(1 - i).box())) {
                        ownObject++;
                    }
                }
            }
        }
        System.out.printf("%s on the detector fixture: pointing %d/%d (D-RISE %d/%d), own object in %d/%d same-class"
                + " maps, %.3f s per image%n", method, gradientHits, objects, driseHits, objects, ownObject, sameClassPairs,
                gradientSeconds / DetectorModel.heldOut().size());
        if (method.equals("gradcam")) {
            // Grad-CAM averages each channel's gradient over all positions: a class-wide map is its
            // definition (decision 0014), so it only has to run on its own gradients and beat chance.
            assertThat(gradientHits).isGreaterThan(objects / 2);
            return;
        }
        assertThat(gradientHits).isGreaterThanOrEqualTo(driseHits);
        assertThat(sameClassPairs).isGreaterThanOrEqualTo(4);
        assertThat(ownObject).isEqualTo(sameClassPairs);
    }

    private static SaliencyMap mapFor(ExplainResult result, DetectorFixture.LabelledImage.Object object) {
        return result.explanations().stream()
                .filter(e -> e.target().index() == object.label() && Boxes.iou(e.target().box(), object.box()) > 0.2)
                .map(TargetExplanation::saliency).findFirst().orElse(null);
    }

    /** Mean map value over a box given in fixture pixels (the map covers the whole image). */
    private static double meanInside(SaliencyMap map, double[] box) {
        double sx = map.width() / (double) DetectorFixture.SIZE;
        double sy = map.height() / (double) DetectorFixture.SIZE;
        double sum = 0;
        int count = 0;
        for (int y = (int) (box[1] * sy); y < Math.ceil(box[3] * sy); y++) {
            for (int x = (int) (box[0] * sx); x < Math.ceil(box[2] * sx); x++) {
                sum += map.get(x, y);
                count++;
            }
        }
        return count == 0 ? 0 : sum / count;
    }
}
