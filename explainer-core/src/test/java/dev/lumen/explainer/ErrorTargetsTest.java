package dev.lumen.explainer;

import static org.assertj.core.api.Assertions.assertThat;

import dev.lumen.explainer.detection.Boxes;
import dev.lumen.explainer.evaluation.BoxMatcher;
import dev.lumen.explainer.evaluation.MatchType;
import dev.lumen.explainer.evaluation.MissedObject;
import dev.lumen.explainer.evaluation.PredictionMatch;
import dev.lumen.explainer.metric.PointingGame;
import dev.lumen.explainer.targets.Target;
import dev.lumen.fixtures.DetectorFixture;
import dev.lumen.fixtures.SquaresFixture;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Errors explained as targets (decision 0071): on the detector fixture with objects it misses (a third
 * object per image drawn faint), each missed object's D-RISE map, targeted at the ground-truth box and
 * class, must peak on that object; a wrong classification on the squares fixture gets maps for both
 * the predicted and the true class.
 */
class ErrorTargetsTest {

    /** How far the faint object is drawn from the noise towards its colour: the detector then mostly misses it. */
    private static final double FAINT_CONTRAST = 0.35;
    private static final int FAINT_IMAGES = 30;
    private static final Path FAINT_DIR = Path.of("target", "fixtures", "faint-objects");

    @Test
    void aMissedObjectsMapPeaksOnTheObject() throws IOException {
        Explainer explainer = new Explainer(DetectorModel.model());
        List<String> labels = DetectorModel.model().descriptor().labels();
        Map<String, Object> parameters = Map.of("masks", 1000, "grid", 8, "metrics", false, "contextTest", false);
        int missed = 0;
        int faintMissed = 0;
        int hits = 0;
        int faintHits = 0;
        int nearDetection = 0;
        long masks = 0;
        long start = System.nanoTime();
        for (DetectorFixture.LabelledImage image : DetectorFixture.faintObjectImages(FAINT_DIR, 11, FAINT_IMAGES,
                FAINT_CONTRAST)) {
            List<ImageObject> truth = image.objects().stream()
                    .map(o -> new ImageObject(o.box(), labels.get(o.label()))).toList();
            ExplainResult result = explainer.explain(Images.decode(Files.readAllBytes(image.file())),
                    new ExplainOptions("drise", 7L, parameters, truth));
            masks += result.masksUsed();
            assertThat(result.evaluation()).isNotNull();
            assertThat(result.evaluation().matches()).hasSameSizeAs(result.predictions());
            for (MissedObject object : result.evaluation().missed()) {
                missed++;
                boolean faint = Arrays.equals(object.box(), image.objects().get(2).box());
                if (!faint && result.predictions().stream().anyMatch(p -> p.label().equals(object.label())
                        && Boxes.iou(p.box(), object.box()) >= BoxMatcher.BACKGROUND_IOU)) {
                    nearDetection++;
                }
                if (faint) {
                    faintMissed++;
                }
                TargetExplanation explained = result.explanations().stream()
                        .filter(e -> Target.MISSED.equals(e.role()) && Arrays.equals(e.target().box(), object.box()))
                        .findFirst().orElseThrow();
                assertThat(explained.target().label()).isEqualTo(object.label());
                if (PointingGame.hit(explained.saliency(), object.box(), DetectorFixture.SIZE, DetectorFixture.SIZE, 0)) {
                    hits++;
                    faintHits += faint ? 1 : 0;
                }
            }
        }
        double rate = (double) hits / missed;
        double faintRate = (double) faintHits / faintMissed;
        System.out.printf("missed objects on the detector fixture (%d images, faint object at contrast %.2f): "
                + "%d missed, D-RISE map peaks on the missed object in %d (%.1f%%); of them %d faint objects, peaks on "
                + "%d (%.1f%%); of the %d full-colour ones, %d have a same-class detection at IoU in [0.1, 0.5) (the fixture's fixed 18 px "
                + "anchors); %d masks, %.1f s%n",
                FAINT_IMAGES, FAINT_CONTRAST, missed, hits, 100 * rate, faintMissed, faintHits, 100 * faintRate,
                missed - faintMissed, nearDetection, masks,
                (System.nanoTime() - start) / 1e9);
        // Most faint objects are missed by construction, so there are cases to judge.
        assertThat(faintMissed).isGreaterThanOrEqualTo(FAINT_IMAGES * 2 / 3);
        assertThat(faintRate).isGreaterThanOrEqualTo(0.8);
        assertThat(rate).isGreaterThanOrEqualTo(0.8);
    }

    @Test
    void aGradientRunExplainsMissedObjectsWithDRiseAndKeepsItsMethodForTheDetections() throws IOException {
        Explainer explainer = new Explainer(DetectorModel.model());
        List<String> labels = DetectorModel.model().descriptor().labels();
        Map<String, Object> parameters = new HashMap<>(Map.of("metrics", false, "contextTest", false));
        ExplainResult result = null;
        byte[] bytes = null;
        List<ImageObject> truth = null;
        for (DetectorFixture.LabelledImage image : DetectorFixture.faintObjectImages(FAINT_DIR, 11, FAINT_IMAGES,
                FAINT_CONTRAST)) {
            bytes = Files.readAllBytes(image.file());
            truth = image.objects().stream().map(o -> new ImageObject(o.box(), labels.get(o.label()))).toList();
            result = explainer.explain(Images.decode(bytes), new ExplainOptions("gradcam", 7L, parameters, truth));
            if (!result.evaluation().missed().isEmpty()) {
                break;
            }
        }
        parameters.put("explainErrors", false);
        ExplainResult without = explainer.explain(Images.decode(bytes), new ExplainOptions("gradcam", 7L, parameters, truth));
        long missedTargets = result.explanations().stream().filter(e -> Target.MISSED.equals(e.role())).count();
        System.out.printf("gradcam on a faint-object image: %d missed object(s) explained with D-RISE, forward passes "
                + "%d (without explainErrors %d), notes %s%n", missedTargets, result.forwardPasses(),
                without.forwardPasses(), result.notes());
        assertThat(missedTargets).isEqualTo(result.evaluation().missed().size()).isPositive();
        assertThat(result.targetLayer()).isNotNull();
        assertThat(result.notes()).anyMatch(n -> n.contains("explained with drise"));
        assertThat(result.forwardPasses() - without.forwardPasses()).isEqualTo(result.masksUsed()).isPositive();
        assertThat(without.explanations()).noneMatch(e -> e.role() != null);
        assertThat(without.evaluation()).isEqualTo(result.evaluation());
    }

    @Test
    void aWrongClassificationGetsMapsForThePredictedAndTheTrueClass() throws IOException {
        Explainer explainer = new Explainer(SquaresModel.model());
        List<String> labels = SquaresModel.model().descriptor().labels();
        SquaresFixture.LabelledImage image = SquaresModel.heldOut().get(0);
        // The image's square annotated as another class: to the evaluation, a wrong classification.
        String trueLabel = labels.get((image.index() + 1) % labels.size());
        ExplainResult result = explainer.explain(Images.decode(Files.readAllBytes(image.file())),
                new ExplainOptions("gradcam", null, Map.of("metrics", false), List.of(new ImageObject(image.box(), trueLabel))));
        assertThat(result.predictions().get(0).label()).isEqualTo(image.label());
        assertThat(result.evaluation().matches()).containsExactly(new PredictionMatch(0, MatchType.WRONG, trueLabel, null));
        assertThat(result.explanations()).hasSize(2);
        TargetExplanation predicted = result.explanations().get(0);
        TargetExplanation truth = result.explanations().get(1);
        assertThat(predicted.role()).isNull();
        assertThat(predicted.target().label()).isEqualTo(image.label());
        assertThat(truth.role()).isEqualTo(Target.TRUE_LABEL);
        assertThat(truth.target().label()).isEqualTo(trueLabel);
        assertThat(truth.target().index()).isEqualTo(labels.indexOf(trueLabel));
        // The true class is scored as the model scores it: below the predicted class.
        assertThat(truth.target().score()).isLessThan(predicted.target().score());
        assertThat(truth.saliency().values()).isNotEqualTo(predicted.saliency().values());
        System.out.printf("wrong classification on the squares fixture: predicted %s (%.3f), true %s (%.3f), %d maps%n",
                image.label(), predicted.target().score(), trueLabel, truth.target().score(), result.explanations().size());
    }
}
