package dev.lumen.explainer.method;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import dev.lumen.catalogue.Family;
import dev.lumen.catalogue.MethodCatalogue;
import dev.lumen.explainer.model.ModelDescriptor.Layout;
import org.junit.jupiter.api.Test;

/** The maths of each CAM method on a 1x2 layer with 2 channels, worked out by hand. */
class CamMethodsTest {

    // Positions p0, p1; channels k0, k1 (channels-last).
    private static final LayerMaps ACTIVATIONS = new LayerMaps(new float[] {1, 2, 3, 0}, 1, 2, 2);
    private static final LayerMaps GRADIENTS = new LayerMaps(new float[] {0.5f, -1, 1.5f, 1}, 1, 2, 2);

    @Test
    void gradCamWeightsChannelsByTheirMeanGradient() {
        // w0 = (0.5 + 1.5) / 2 = 1, w1 = (-1 + 1) / 2 = 0; map = relu(1*A0 + 0*A1) = [1, 3]
        assertThat(new GradCam().cam(ACTIVATIONS, GRADIENTS)).containsExactly(new float[] {1, 3}, within(1e-6f));
    }

    @Test
    void hiResCamMultipliesElementWise() {
        // p0: 1*0.5 + 2*(-1) = -1.5 -> 0; p1: 3*1.5 + 0*1 = 4.5
        assertThat(new HiResCam().cam(ACTIVATIONS, GRADIENTS)).containsExactly(new float[] {0, 4.5f}, within(1e-6f));
    }

    @Test
    void gradCamPlusPlusCountsOnlyPositiveGradientsWithItsAlphas() {
        // k0: sumA = 4; alpha(g) = g^2 / (2 g^2 + 4 g^3): g=0.5 -> 0.25/1.0 = 0.25, g=1.5 -> 2.25/18 = 0.125
        //     w0 = 0.25*0.5 + 0.125*1.5 = 0.3125
        // k1: sumA = 2; only g=1 positive: alpha = 1 / (2 + 2) = 0.25, w1 = 0.25
        // map: p0 = 0.3125*1 + 0.25*2 = 0.8125; p1 = 0.3125*3 + 0 = 0.9375
        assertThat(new GradCamPlusPlus().cam(ACTIVATIONS, GRADIENTS))
                .containsExactly(new float[] {0.8125f, 0.9375f}, within(1e-5f));
    }

    @Test
    void channelsFirstSamplesAreConvertedToChannelsLast() {
        // NCHW sample [k][y][x]: k0 = [1, 3], k1 = [2, 0] is the same layer as ACTIVATIONS.
        LayerMaps converted = LayerMaps.of(new float[] {1, 3, 2, 0}, new long[] {2, 1, 2}, Layout.NCHW);
        assertThat(converted).usingRecursiveComparison().isEqualTo(ACTIVATIONS);
        assertThat(converted.get(0, 1, 0)).isEqualTo(3f);
    }

    @Test
    void everyGradientMethodOfTheCatalogueHasItsFormulaAndOthersHaveNone() {
        assertThat(CamMethods.of(MethodCatalogue.GRADCAM)).isInstanceOf(GradCam.class);
        assertThat(CamMethods.of(MethodCatalogue.GRADCAM_PLUS_PLUS)).isInstanceOf(GradCamPlusPlus.class);
        MethodCatalogue.methods().stream().filter(m -> m.family() == Family.GRADIENT)
                .forEach(m -> assertThat(CamMethods.of(m).getClass().getName()).isEqualTo(m.implementation()));
        assertThatThrownBy(() -> CamMethods.of(MethodCatalogue.DRISE))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("method drise is not a gradient method");
    }
}
