package dev.lumen.explainer;

import static org.assertj.core.api.Assertions.assertThat;

import dev.lumen.explainer.detection.Boxes;
import dev.lumen.explainer.detection.Detection;
import dev.lumen.explainer.detection.DetectionDecoder;
import dev.lumen.explainer.detection.DetectionDecoders;
import dev.lumen.explainer.detection.Proposals;
import dev.lumen.fixtures.DetectorFixture;
import dev.lumen.explainer.metric.DeletionInsertion;
import dev.lumen.explainer.metric.Faithfulness;
import dev.lumen.explainer.metric.PointingGame;
import dev.lumen.explainer.model.LoadedModel;
import dev.lumen.explainer.model.ModelInput;
import dev.lumen.explainer.targets.DetectionTarget;
import dev.lumen.render.SaliencyMap;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** D-RISE on the detector fixture: each object's map must point at that object. */
class DRiseTest {

    /** For the detector (box IoU) and the instance segmenter (mask IoU) alike. */
    @ParameterizedTest
    @ValueSource(booleans = {false, true})
    void eachObjectsMapPeaksOnThatObject(boolean masks) throws IOException {
        Explainer explainer = new Explainer(masks ? InstanceSegmenterModel.model() : DetectorModel.model());
        ExplainOptions options = new ExplainOptions("drise", 7L, Map.of("masks", 1000, "grid", 8, "metrics", false));
        int objects = 0;
        int detected = 0;
        int hits = 0;
        long masksUsed = 0;
        long start = System.nanoTime();
        for (DetectorFixture.LabelledImage image : masks ? InstanceSegmenterModel.heldOut() : DetectorModel.heldOut()) {
            ExplainResult result = explainer.explain(Images.decode(Files.readAllBytes(image.file())), options);
            masksUsed += result.forwardPasses() - 1;
            for (DetectorFixture.LabelledImage.Object object : image.objects()) {
                objects++;
                TargetExplanation match = result.explanations().stream()
                        .filter(e -> e.target().index() == object.label() && Boxes.iou(e.target().box(), object.box()) > 0.2)
                        .findFirst().orElse(null);
                if (match == null) {
                    continue;
                }
                detected++;
                if (PointingGame.hit(match.saliency(), object.box(), DetectorFixture.SIZE, DetectorFixture.SIZE, 0)) {
                    hits++;
                }
            }
        }
        System.out.printf("D-RISE %s fixture: %d objects, %d detected, %d hits, %d masks, %.1f s%n",
                masks ? "instance-segmenter" : "detector", objects, detected, hits, masksUsed,
                (System.nanoTime() - start) / 1e9);
        // The fixture is retrained on every clean machine and its training is not bit-reproducible
        // across machines (TensorFlow's multi-threaded sums): 44-46 of 48 objects are detected. The
        // map's own claim is judged on the objects the model detects.
        assertThat(detected).isGreaterThanOrEqualTo((int) Math.ceil(0.9 * objects));
        assertThat(hits).isGreaterThanOrEqualTo((int) Math.ceil(0.95 * detected));
    }

    @Test
    void mapsBeatARandomMapOnDeletionAndInsertion() throws IOException {
        LoadedModel model = DetectorModel.model();
        Explainer explainer = new Explainer(model);
        DetectionDecoder decoder = DetectionDecoders.forDescriptor(model.descriptor());
        DeletionInsertion metric = new DeletionInsertion(DeletionInsertion.DEFAULT_STEPS, 32);
        ExplainOptions options = new ExplainOptions("drise", 7L, Map.of("masks", 1000, "grid", 8));
        Random random = new Random(5);
        double[] sums = new double[4];
        int maps = 0;
        for (DetectorFixture.LabelledImage image : DetectorModel.heldOut().subList(0, 8)) {
            BufferedImage decoded = Images.decode(Files.readAllBytes(image.file()));
            ExplainResult result = explainer.explain(decoded, options);
            ModelInput input = model.preprocessor().prepare(decoded);
            List<Detection> kept = Boxes.nms(decode(model, decoder, List.of(input)).get(0).all(), 0.5, 0.5);
            for (int t = 0; t < result.explanations().size(); t++) {
                TargetExplanation explanation = result.explanations().get(t);
                DetectionTarget target = new DetectionTarget(explanation.target(), kept.get(t));
                float[] noise = new float[input.width() * input.height()];
                for (int i = 0; i < noise.length; i++) {
                    noise[i] = random.nextFloat();
                }
                Faithfulness baseline = metric.evaluate(input, new SaliencyMap(noise, input.width(), input.height()),
                        inputs -> decode(model, decoder, inputs).stream().mapToDouble(target::similarity).toArray());
                sums[0] += explanation.deletionAuc();
                sums[1] += explanation.insertionAuc();
                sums[2] += baseline.deletionAuc();
                sums[3] += baseline.insertionAuc();
                maps++;
            }
        }
        System.out.printf("D-RISE detector fixture over %d maps: deletion %.3f (random %.3f), insertion %.3f (random %.3f)%n",
                maps, sums[0] / maps, sums[2] / maps, sums[1] / maps, sums[3] / maps);
        assertThat(sums[0]).isLessThan(sums[2]);
        assertThat(sums[1]).isGreaterThan(sums[3]);
    }

    @Test
    void earlyStopUsesFewerMasksAndReportsThem() throws IOException {
        Explainer explainer = new Explainer(DetectorModel.model());
        BufferedImage image = Images.decode(Files.readAllBytes(DetectorModel.heldOut().get(0).file()));
        ExplainResult result = explainer.explain(image,
                new ExplainOptions("drise", 1L, Map.of("masks", 3000, "grid", 8, "metrics", false)));
        assertThat(result.targetLayer()).isNull();
        assertThat(result.forwardPasses() - 1).isLessThan(3000);
        assertThat(result.notes()).anyMatch(n -> n.startsWith("drise: maps converged after"));
    }

    private static List<Proposals> decode(LoadedModel model, DetectionDecoder decoder, List<ModelInput> inputs) {
        return decoder.decode(model.forward(inputs, null).outputs(), model.descriptor().labels().size(),
                model.descriptor().input().width(), model.descriptor().input().height(), 0.01);
    }
}
