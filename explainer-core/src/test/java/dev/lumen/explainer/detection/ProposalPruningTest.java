package dev.lumen.explainer.detection;

import static org.assertj.core.api.Assertions.assertThat;

import dev.lumen.explainer.DetectorModel;
import dev.lumen.explainer.Images;
import dev.lumen.explainer.method.MaskedSaliency;
import dev.lumen.explainer.method.RandomMasks;
import dev.lumen.explainer.model.FloatTensor;
import dev.lumen.explainer.model.LoadedModel;
import dev.lumen.explainer.model.ModelInput;
import dev.lumen.explainer.targets.DetectionTarget;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

/**
 * D-RISE's weights visit proposals best first and decode only those that can still beat a
 * target's best: the weights and maps must be exactly those of the straightforward computation
 * (every proposal decoded and compared), while most proposals stay undecoded.
 */
class ProposalPruningTest {

    private static final int LABELS = 6;
    private static final int SIZE = 64;
    private static final int BINS = 8;
    private static final int[] STRIDES = {4, 8, 16};

    @Test
    void nanoDetWeightsEqualTheMaximumOverEveryDecodedProposal() {
        Random random = new Random(11);
        double[][] scene = {{4, 6, 30, 40, 1}, {28, 20, 60, 58, 3}, {40, 2, 56, 18, 1}};
        NanoDetDecoder decoder = new NanoDetDecoder();
        Proposals reference = decoder.decode(nanoDetOutputs(random, scene, 1), LABELS, SIZE, SIZE, 0.01).get(0);
        List<DetectionTarget> targets = new ArrayList<>();
        for (Detection d : Boxes.nms(reference.all(), 0.3, 0.5)) {
            targets.add(new DetectionTarget(null, d));
        }
        assertThat(targets).hasSizeGreaterThanOrEqualTo(2);
        Map<String, FloatTensor> batch = nanoDetOutputs(random, scene, 300);
        List<Proposals> pruned = decoder.decode(batch, LABELS, SIZE, SIZE, 0.01);
        List<Proposals> full = decoder.decode(batch, LABELS, SIZE, SIZE, 0.01);
        long decoded = 0;
        long proposals = 0;
        int positive = 0;
        for (int i = 0; i < pruned.size(); i++) {
            Counting counting = new Counting(pruned.get(i));
            for (DetectionTarget target : targets) {
                double weight = target.similarity(counting);
                assertThat(weight).isEqualTo(straightforward(target, full.get(i)));
                positive += weight > 0 ? 1 : 0;
            }
            decoded += counting.decoded;
            proposals += counting.size();
        }
        System.out.printf("pruned NanoDet weights: %d of %d proposals decoded%n", decoded, proposals);
        assertThat(positive).isGreaterThan(pruned.size() / 2);
        assertThat(decoded).isLessThan(proposals / 3);
    }

    @Test
    void detectorFixtureMapsEqualTheStraightforwardMaps() throws IOException {
        LoadedModel model = DetectorModel.model();
        ModelInput input = model.preprocessor().prepare(
                Images.decode(Files.readAllBytes(DetectorModel.heldOut().get(0).file())));
        List<DetectionTarget> targets = targets(model, input);
        MaskedSaliency.Settings settings = new MaskedSaliency.Settings(400, 8, 0.5, 3, false, 0.96, 32,
                RandomMasks.Design.INDEPENDENT);
        MaskedSaliency.Result pruned = MaskedSaliency.explain(model, input, targets.size(),
                outputs -> weights(model, outputs, targets, false), settings);
        MaskedSaliency.Result full = MaskedSaliency.explain(model, input, targets.size(),
                outputs -> weights(model, outputs, targets, true), settings);
        assertThat(targets).hasSizeGreaterThanOrEqualTo(2);
        for (int t = 0; t < targets.size(); t++) {
            assertThat(pruned.maps().get(t).values()).containsExactly(full.maps().get(t).values());
            float[] values = full.maps().get(t).values();
            float min = Float.MAX_VALUE;
            float max = -Float.MAX_VALUE;
            for (float v : values) {
                min = Math.min(min, v);
                max = Math.max(max, v);
            }
            assertThat(max).as("a map with structure, not a constant").isGreaterThan(min);
        }
    }

    /** On the real NanoDet (demo assets, when present): identical weights on masked photos. */
    @Test
    void realNanoDetWeightsEqualTheStraightforwardWeights() throws IOException {
        Path assets = assets();
        Path modelDir = assets.resolve("models/nanodet");
        Path photo = assets.resolve("photos/motorcycle_left.png");
        Assumptions.assumeTrue(Files.isRegularFile(modelDir.resolve("saved_model.pb")) && Files.isRegularFile(photo),
                "demo assets (scripts/demo-assets.sh) not under " + assets);
        try (LoadedModel model = LoadedModel.load(modelDir)) {
            ModelInput input = model.preprocessor().prepare(Images.decode(Files.readAllBytes(photo)));
            List<DetectionTarget> targets = targets(model, input);
            long[] counts = new long[2];
            MaskedSaliency.Settings settings = new MaskedSaliency.Settings(24, 16, 0.5, 1, false, 0.96, 8,
                    RandomMasks.Design.INDEPENDENT);
            MaskedSaliency.explain(model, input, targets.size(), outputs -> {
                List<Proposals> pruned = decode(model, outputs);
                List<Proposals> full = decode(model, outputs);
                double[][] weights = new double[pruned.size()][targets.size()];
                for (int i = 0; i < pruned.size(); i++) {
                    Counting counting = new Counting(pruned.get(i));
                    for (int t = 0; t < targets.size(); t++) {
                        weights[i][t] = targets.get(t).similarity(counting);
                        assertThat(weights[i][t]).isEqualTo(straightforward(targets.get(t), full.get(i)));
                    }
                    counts[0] += counting.decoded;
                    counts[1] += counting.size();
                }
                return weights;
            }, settings);
            System.out.printf("pruned real NanoDet weights, %d targets: %d of %d proposals decoded%n", targets.size(),
                    counts[0], counts[1]);
            assertThat(targets).isNotEmpty();
            assertThat(counts[0]).isLessThan(counts[1] / 2);
        }
    }

    private static double straightforward(DetectionTarget target, Proposals proposals) {
        double best = 0;
        for (Detection proposal : proposals.all()) {
            best = Math.max(best, target.similarity(proposal));
        }
        return best;
    }

    private static double[][] weights(LoadedModel model, Map<String, FloatTensor> outputs, List<DetectionTarget> targets,
            boolean straightforward) {
        List<Proposals> perImage = decode(model, outputs);
        double[][] weights = new double[perImage.size()][targets.size()];
        for (int i = 0; i < perImage.size(); i++) {
            for (int t = 0; t < targets.size(); t++) {
                weights[i][t] = straightforward ? straightforward(targets.get(t), perImage.get(i))
                        : targets.get(t).similarity(perImage.get(i));
            }
        }
        return weights;
    }

    private static List<DetectionTarget> targets(LoadedModel model, ModelInput input) {
        Proposals proposals = decode(model, model.forward(List.of(input), null).outputs()).get(0);
        return Boxes.nms(proposals.all(), model.descriptor().scoreThreshold(), 0.5).stream()
                .map(d -> new DetectionTarget(null, d)).toList();
    }

    private static List<Proposals> decode(LoadedModel model, Map<String, FloatTensor> outputs) {
        return DetectionDecoders.forDescriptor(model.descriptor()).decode(outputs, model.descriptor().labels().size(),
                model.descriptor().input().width(), model.descriptor().input().height(), 0.01);
    }

    /**
     * Raw NanoDet head outputs for {@code images} masked views of one scene: each object
     * ({@code x1, y1, x2, y2, label}) shows with a random strength (as masks hide it more or less);
     * points inside it score for its label with that strength and their box logits peak at the
     * object's sides (with noise); other points get low random scores and random box logits.
     */
    private static Map<String, FloatTensor> nanoDetOutputs(Random random, double[][] scene, int images) {
        Map<String, FloatTensor> outputs = new HashMap<>();
        for (int stride : STRIDES) {
            int columns = SIZE / stride;
            int points = columns * columns;
            float[] scores = new float[images * points * LABELS];
            float[] boxes = new float[images * points * 4 * BINS];
            for (int image = 0; image < images; image++) {
                double[] strengths = new double[scene.length];
                for (int o = 0; o < scene.length; o++) {
                    strengths[o] = images == 1 ? 1 : random.nextDouble();
                }
                for (int p = 0; p < points; p++) {
                    double cx = (p % columns + 0.5) * stride;
                    double cy = (p / columns + 0.5) * stride;
                    int point = image * points + p;
                    for (int c = 0; c < LABELS; c++) {
                        scores[point * LABELS + c] = (float) (0.1 * Math.pow(random.nextDouble(), 4));
                    }
                    double[] object = null;
                    for (int o = 0; o < scene.length; o++) {
                        double[] box = scene[o];
                        if (cx > box[0] && cx < box[2] && cy > box[1] && cy < box[3]) {
                            object = box;
                            int offset = point * LABELS + (int) box[4];
                            scores[offset] = (float) Math.max(scores[offset], strengths[o] * (0.5 + random.nextDouble() / 2));
                        }
                    }
                    double[] sides = object == null ? null
                            : new double[] {cx - object[0], cy - object[1], object[2] - cx, object[3] - cy};
                    for (int side = 0; side < 4; side++) {
                        for (int b = 0; b < BINS; b++) {
                            double noise = random.nextGaussian();
                            double distance = sides == null ? 0 : sides[side] / stride - b;
                            boxes[(point * 4 + side) * BINS + b] = (float) (sides == null ? 2 * noise
                                    : noise - 2 * distance * distance);
                        }
                    }
                }
            }
            outputs.put("scores_stride" + stride, new FloatTensor(new long[] {images, points, LABELS}, scores));
            outputs.put("boxes_stride" + stride, new FloatTensor(new long[] {images, points, 4 * BINS}, boxes));
        }
        return outputs;
    }

    private static Path assets() {
        String configured = System.getenv("LUMEN_ASSETS_DIR");
        return configured != null && !configured.isBlank() ? Path.of(configured)
                : Path.of("..", ".lumen", "assets").toAbsolutePath().normalize();
    }

    /** Counts the proposals a target had decoded. */
    private static final class Counting extends Proposals {

        private final Proposals inner;
        private int decoded;

        Counting(Proposals inner) {
            this.inner = inner;
        }

        @Override
        public int size() {
            return inner.size();
        }

        @Override
        public double score(int i) {
            return inner.score(i);
        }

        @Override
        protected Detection decode(int i) {
            decoded++;
            return inner.get(i);
        }
    }
}
