package dev.lumen.explainer;

import static org.assertj.core.api.Assertions.assertThat;

import dev.lumen.fixtures.KerasStyleSquares;
import dev.lumen.fixtures.SquaresFixture.LabelledImage;
import dev.lumen.explainer.method.LayerMaps;
import dev.lumen.catalogue.MethodCatalogue;
import dev.lumen.explainer.method.CamMethods;
import dev.lumen.explainer.model.FloatTensor;
import dev.lumen.explainer.model.ForwardResult;
import dev.lumen.explainer.model.LoadedModel;
import dev.lumen.explainer.model.ModelDescriptor;
import dev.lumen.explainer.model.ModelInput;
import dev.lumen.explainer.model.TargetLayer;
import java.awt.image.BufferedImage;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * A Keras-style export (layers inside {@code StatefulPartitionedCall} functions, weights in
 * resource variables) explains exactly like the plain graph of the same weights, once Lumen has
 * inlined its functions at load time.
 */
class KerasStyleExportTest {

    /** Held-out images compared: every third of the 48, so all three classes appear. */
    private static final int STEP = 3;
    private static final double TOLERANCE = 1e-4;

    private static LoadedModel keras;
    private static List<LabelledImage> images;

    @BeforeAll
    static void load() {
        keras = LoadedModel.load(KerasStyleSquares.build(SquaresModel.dir()));
        List<LabelledImage> all = SquaresModel.heldOut();
        images = java.util.stream.IntStream.range(0, all.size()).filter(i -> i % STEP == 0).mapToObj(all::get).toList();
    }

    @AfterAll
    static void close() {
        keras.close();
    }

    @Test
    void theTargetLayerIsDiscoveredInTheInlinedGraph() {
        TargetLayer discovered = keras.targetLayer(null);
        System.out.printf("Keras-style export: discovered target layer %s%n", discovered.name());
        assertThat(discovered.discovered()).isTrue();
        // The plain graph's relu4, now two call levels deep.
        assertThat(discovered.name()).isEqualTo("StatefulPartitionedCall/StatefulPartitionedCall/relu4");
        assertThat(discovered.geometry()).isEqualTo(SquaresModel.model().targetLayer(null).geometry());
    }

    @Test
    void forwardOutputsMatchThePlainGraph() throws Exception {
        List<ModelInput> inputs = prepared(keras);
        ForwardResult plain = SquaresModel.model().forward(inputs, null);
        ForwardResult inlined = keras.forward(inputs, null);
        for (String role : List.of(ModelDescriptor.LOGITS, ModelDescriptor.SCORES)) {
            double difference = maxDifference(plain.outputs().get(role).data(), inlined.outputs().get(role).data());
            System.out.printf("Keras-style export: max |%s difference| %.3g over %d images%n", role, difference,
                    inputs.size());
            assertThat(difference).as(role).isLessThanOrEqualTo(TOLERANCE);
        }
    }

    @Test
    void gradCamMapsEqualThoseOfThePlainGraph() throws Exception {
        Explainer plain = new Explainer(SquaresModel.model());
        Explainer inlined = new Explainer(keras);
        double worst = 0;
        for (LabelledImage image : images) {
            BufferedImage picture = GroundTruthTest.read(image);
            ExplainOptions options = new ExplainOptions("gradcam", null, Map.of("metrics", false));
            ExplainResult expected = plain.explain(picture, options);
            ExplainResult actual = inlined.explain(picture, options);
            assertThat(actual.explanations()).hasSize(1);
            assertThat(actual.explanations().get(0).target().index()).isEqualTo(expected.explanations().get(0).target().index());
            worst = Math.max(worst, maxDifference(expected.explanations().get(0).saliency().values(),
                    actual.explanations().get(0).saliency().values()));
        }
        System.out.printf("Keras-style export: max |Grad-CAM map difference| %.3g over %d held-out images"
                + " (maps normalised to [0, 1])%n", worst, images.size());
        assertThat(worst).isLessThanOrEqualTo(TOLERANCE);
    }

    @Test
    void rawLayerMapsAndGradientsEqualThoseOfThePlainGraph() throws Exception {
        LoadedModel plainModel = SquaresModel.model();
        double worstCam = 0;
        double worstGradient = 0;
        for (ModelInput input : prepared(keras)) {
            float[][] plainParts = camAndGradients(plainModel, plainModel.targetLayer(null), input);
            float[][] inlinedParts = camAndGradients(keras, keras.targetLayer(null), input);
            worstCam = Math.max(worstCam, maxDifference(plainParts[0], inlinedParts[0]));
            worstGradient = Math.max(worstGradient, maxDifference(plainParts[1], inlinedParts[1]));
        }
        System.out.printf("Keras-style export: max |raw Grad-CAM difference| %.3g, max |gradient difference| %.3g%n",
                worstCam, worstGradient);
        assertThat(worstCam).isLessThanOrEqualTo(TOLERANCE);
        assertThat(worstGradient).isLessThanOrEqualTo(TOLERANCE);
    }

    @Test
    void aTargetLayerCanBeNamedInTheInlinedGraph() throws Exception {
        String name = "StatefulPartitionedCall/StatefulPartitionedCall/relu3";
        TargetLayer named = keras.targetLayer(name);
        assertThat(named.discovered()).isFalse();
        assertThat(named.geometry()).isEqualTo(SquaresModel.model().targetLayer("relu3").geometry());

        BufferedImage picture = GroundTruthTest.read(images.get(0));
        ExplainResult expected = new Explainer(SquaresModel.model())
                .explain(picture, new ExplainOptions("gradcam", null, Map.of("metrics", false, "targetLayer", "relu3")));
        ExplainResult actual = new Explainer(keras)
                .explain(picture, new ExplainOptions("gradcam", null, Map.of("metrics", false, "targetLayer", name)));
        assertThat(actual.targetLayer()).isEqualTo(name);
        assertThat(maxDifference(expected.explanations().get(0).saliency().values(),
                actual.explanations().get(0).saliency().values())).isLessThanOrEqualTo(TOLERANCE);
    }

    /** Unnormalised Grad-CAM at the layer's resolution, and the gradient it came from, for the top class. */
    private static float[][] camAndGradients(LoadedModel model, TargetLayer layer, ModelInput input) {
        ForwardResult forward = model.forward(List.of(input), layer);
        float[] logits = forward.outputs().get(ModelDescriptor.LOGITS).sample(0);
        float[] seed = new float[logits.length];
        seed[argMax(logits)] = 1;
        FloatTensor gradients = model.layerGradients(input, layer, forward, List.of(seed));
        FloatTensor activations = forward.activations();
        ModelDescriptor.Layout layout = model.descriptor().input().layout();
        float[] cam = CamMethods.of(MethodCatalogue.GRADCAM).cam(LayerMaps.of(activations.sample(0), activations.sampleShape(), layout),
                LayerMaps.of(gradients.sample(0), gradients.sampleShape(), layout));
        return new float[][] {cam, gradients.sample(0)};
    }

    private static List<ModelInput> prepared(LoadedModel model) throws Exception {
        List<ModelInput> inputs = new java.util.ArrayList<>();
        for (LabelledImage image : images) {
            inputs.add(model.preprocessor().prepare(GroundTruthTest.read(image)));
        }
        return inputs;
    }

    private static int argMax(float[] values) {
        int best = 0;
        for (int i = 1; i < values.length; i++) {
            best = values[i] > values[best] ? i : best;
        }
        return best;
    }

    private static double maxDifference(float[] expected, float[] actual) {
        assertThat(actual).hasSameSizeAs(expected);
        double max = 0;
        for (int i = 0; i < expected.length; i++) {
            max = Math.max(max, Math.abs(expected[i] - actual[i]));
        }
        return max;
    }
}
