package dev.lumen.explainer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.lumen.explainer.detection.Boxes;
import dev.lumen.fixtures.SegmenterFixture.LabelledImage;
import dev.lumen.explainer.metric.DeletionInsertion;
import dev.lumen.explainer.metric.Faithfulness;
import dev.lumen.explainer.model.LoadedModel;
import dev.lumen.explainer.model.ModelInput;
import dev.lumen.explainer.targets.PixelScores;
import dev.lumen.explainer.targets.SegmentTarget;
import dev.lumen.render.SaliencyMap;
import java.awt.image.BufferedImage;
import java.nio.file.Files;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Grad-CAM on the segmenter fixture, whose every pixel's class is known. */
class SegmentationTest {

    private static LoadedModel model;
    private static Explainer explainer;

    @BeforeAll
    static void load() {
        model = SegmenterModel.model();
        explainer = new Explainer(model);
    }

    @Test
    void eachPredictedClassGetsASegmentWithItsBox() throws Exception {
        int objects = 0;
        int found = 0;
        for (LabelledImage image : SegmenterModel.heldOut()) {
            ExplainResult result = explainer.explain(read(image), new ExplainOptions("gradcam", null, Map.of("metrics", false)));
            assertThat(result.targetLayer()).isEqualTo("relu4");
            assertThat(result.explanations()).allSatisfy(e -> {
                assertThat(e.target().kind()).isEqualTo("segment");
                assertThat(e.target().index()).isNotZero();
            });
            for (LabelledImage.Object object : image.objects()) {
                objects++;
                found += result.explanations().stream().anyMatch(e -> e.target().index() == object.label()
                        && Boxes.iou(e.target().box(), object.box()) > 0.5) ? 1 : 0;
            }
        }
        System.out.printf("segmenter fixture: %d of %d objects found as segments with box IoU > 0.5%n", found, objects);
        assertThat(found).isGreaterThanOrEqualTo((int) Math.ceil(0.9 * objects));
    }

    @ParameterizedTest
    @ValueSource(strings = {"gradcam", "hirescam"})
    void mapsPutMostOfTheirEnergyInsideTheExplainedClassesMask(String method) throws Exception {
        double energy = meanInMaskEnergy(method);
        assertThat(energy).as("mean in-mask energy of %s", method).isGreaterThanOrEqualTo(0.6);
    }

    /**
     * Grad-CAM++ keeps only positive gradients, so on a segment (where the seed covers many pixels)
     * it drops the channels that argue against the class and keeps background features: its
     * in-mask energy is far lower. Measured, not held to the 0.6 bar.
     */
    @Test
    void gradCamPlusPlusIsMeasuredToo() throws Exception {
        assertThat(meanInMaskEnergy("gradcam++")).isBetween(0.0, 1.0);
    }

    private static double meanInMaskEnergy(String method) throws Exception {
        double energy = 0;
        int maps = 0;
        for (LabelledImage image : SegmenterModel.heldOut()) {
            int[] classes = image.classes();
            ExplainResult result = explainer.explain(read(image), new ExplainOptions(method, null, Map.of("metrics", false)));
            for (TargetExplanation explanation : result.explanations()) {
                energy += inMaskEnergy(explanation.saliency(), classes, explanation.target().index());
                maps++;
            }
        }
        System.out.printf("in-mask saliency energy %s: %.3f over %d maps%n", method, energy / maps, maps);
        return energy / maps;
    }

    @Test
    void mapsBeatARandomMapOnDeletionAndInsertion() throws Exception {
        DeletionInsertion metric = new DeletionInsertion(DeletionInsertion.DEFAULT_STEPS, 32);
        Random random = new Random(11);
        double[] sums = new double[4];
        int maps = 0;
        for (LabelledImage image : SegmenterModel.heldOut().subList(0, 12)) {
            BufferedImage picture = read(image);
            ModelInput input = model.preprocessor().prepare(picture);
            ExplainResult result = explainer.explain(picture, ExplainOptions.of("gradcam"));
            for (TargetExplanation explanation : result.explanations()) {
                // The same target again, chosen by class, scores the random map.
                ExplainResult again = explainer.explain(picture, new ExplainOptions("gradcam", null,
                        Map.of("class", explanation.target().index(), "metrics", false)));
                assertThat(again.explanations().get(0).target()).usingRecursiveComparison().isEqualTo(explanation.target());
                SegmentTarget target = segmentTarget(picture, explanation.target().index());
                float[] noise = new float[input.width() * input.height()];
                for (int i = 0; i < noise.length; i++) {
                    noise[i] = random.nextFloat();
                }
                Faithfulness baseline = metric.evaluate(input, new SaliencyMap(noise, input.width(), input.height()),
                        inputs -> {
                            var forward = model.forward(inputs, null);
                            float[][] scores = model.labelScores(forward);
                            long[] shape = model.labelScoreShape(forward);
                            double[] values = new double[scores.length];
                            for (int i = 0; i < values.length; i++) {
                                values[i] = target.score(new PixelScores(scores[i], (int) shape[1], (int) shape[0],
                                        (int) shape[2]));
                            }
                            return values;
                        });
                sums[0] += explanation.deletionAuc();
                sums[1] += explanation.insertionAuc();
                sums[2] += baseline.deletionAuc();
                sums[3] += baseline.insertionAuc();
                maps++;
            }
        }
        System.out.printf("segmenter fixture over %d maps: deletion %.3f (random %.3f), insertion %.3f (random %.3f)%n",
                maps, sums[0] / maps, sums[2] / maps, sums[1] / maps, sums[3] / maps);
        assertThat(sums[0]).isLessThan(sums[2]);
        assertThat(sums[1]).isGreaterThan(sums[3]);
    }

    @Test
    void anImageWithoutObjectsIsSkipped() {
        BufferedImage black = new BufferedImage(96, 96, BufferedImage.TYPE_INT_RGB);
        ExplainResult result = explainer.explain(black, ExplainOptions.of("gradcam"));
        assertThat(result.explanations()).isEmpty();
        assertThat(result.predictions()).isEmpty();
        assertThat(result.skippedReason()).isEqualTo("no prediction above 0.5");
    }

    @Test
    void aClassWithoutPixelsIsExplainedOverTheWholeImageWhenAskedFor() throws Exception {
        LabelledImage image = SegmenterModel.heldOut().get(0);
        int absent = 1;
        while (absent == image.objects().get(0).label() || absent == image.objects().get(1).label()) {
            absent++;
        }
        ExplainResult result = explainer.explain(read(image),
                new ExplainOptions("gradcam", null, Map.of("class", model.descriptor().labels().get(absent), "metrics", false)));
        assertThat(result.explanations()).hasSize(1);
        Prediction target = result.explanations().get(0).target();
        assertThat(target.index()).isEqualTo(absent);
        assertThat(target.box()).containsExactly(0, 0, 96, 96);
        assertThat(target.score()).isLessThan(0.5);
    }

    @Test
    void perturbationMethodsAreRefusedForSegmenters() throws Exception {
        BufferedImage picture = read(SegmenterModel.heldOut().get(0));
        assertThatThrownBy(() -> explainer.explain(picture, ExplainOptions.of("rise")))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("method rise does not explain task semantic-segmentation; use gradcam, gradcam++, ");
    }

    /** The target the explainer built for class {@code label} of this image (the same selection rules). */
    private static SegmentTarget segmentTarget(BufferedImage picture, int label) {
        ModelInput input = model.preprocessor().prepare(picture);
        var forward = model.forward(java.util.List.of(input), null);
        var selection = new dev.lumen.explainer.targets.SegmentTargetSelector(model.descriptor().labels(),
                model.descriptor().background(), model.descriptor().scoreThreshold())
                .select(pixelScores(forward), label, input.geometry());
        return (SegmentTarget) selection.targets().get(0);
    }

    private static PixelScores pixelScores(dev.lumen.explainer.model.ForwardResult forward) {
        long[] shape = model.labelScoreShape(forward);
        return new PixelScores(model.labelScores(forward)[0], (int) shape[1], (int) shape[0], (int) shape[2]);
    }

    /** Share of the map's total value on pixels of class {@code label} (map aligned to the 96x96 image). */
    static double inMaskEnergy(SaliencyMap map, int[] classes, int label) {
        SaliencyMap full = map.resize(96, 96);
        double inside = 0;
        double total = 0;
        for (int i = 0; i < classes.length; i++) {
            float value = full.values()[i];
            total += value;
            inside += classes[i] == label ? value : 0;
        }
        return total == 0 ? 0 : inside / total;
    }

    private static BufferedImage read(LabelledImage image) throws Exception {
        return Images.decode(Files.readAllBytes(image.file()));
    }
}
