package dev.lumen.explainer.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.lumen.explainer.model.ModelDescriptor.ColorOrder;
import dev.lumen.explainer.model.ModelDescriptor.Input;
import dev.lumen.explainer.model.ModelDescriptor.Layout;
import dev.lumen.explainer.model.ModelDescriptor.ResizeMode;
import dev.lumen.render.SaliencyMap;
import java.awt.image.BufferedImage;
import java.util.List;
import org.junit.jupiter.api.Test;

class PreprocessorTest {

    private static Input input(Layout layout, int channels, ColorOrder order, ResizeMode resize, double[] mean, double[] std) {
        return new Input("serving_default", null, layout, 4, 4, channels, order, 1.0 / 255, mean, std, resize);
    }

    private static BufferedImage solid(int width, int height, int rgb) {
        BufferedImage image = new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
        for (int y = 0; y < height; y++) {
            for (int x = 0; x < width; x++) {
                image.setRGB(x, y, rgb);
            }
        }
        return image;
    }

    @Test
    void normalisesEachChannelInTheModelsOrderAndLayout() {
        Preprocessor nhwc = new Preprocessor(input(Layout.NHWC, 3, ColorOrder.BGR, ResizeMode.STRETCH,
                new double[] {0.5, 0, 0}, new double[] {0.5, 1, 1}));
        FloatTensor tensor = nhwc.tensor(List.of(nhwc.prepare(solid(8, 8, 0xFF0000))));
        assertThat(tensor.shape()).containsExactly(1, 4, 4, 3);
        // BGR: blue (0) first, (0/255 - 0.5) / 0.5 = -1; then green 0; then red 1.
        assertThat(tensor.sample(0)).startsWith(new float[] {-1, 0, 1});

        Preprocessor nchw = new Preprocessor(input(Layout.NCHW, 3, ColorOrder.RGB, ResizeMode.STRETCH,
                new double[3], new double[] {1, 1, 1}));
        FloatTensor planes = nchw.tensor(List.of(nchw.prepare(solid(4, 4, 0x00FF00))));
        assertThat(planes.shape()).containsExactly(1, 3, 4, 4);
        assertThat(planes.data()[0]).isEqualTo(0f);
        assertThat(planes.data()[16]).isEqualTo(1f);
    }

    @Test
    void grayscaleModelsGetLuma() {
        Preprocessor gray = new Preprocessor(input(Layout.NHWC, 1, ColorOrder.RGB, ResizeMode.STRETCH,
                new double[1], new double[] {1}));
        FloatTensor tensor = gray.tensor(List.of(gray.prepare(solid(4, 4, 0xFFFFFF))));
        assertThat(tensor.shape()).containsExactly(1, 4, 4, 1);
        assertThat(tensor.data()[0]).isCloseTo(1f, within(1e-5f));
    }

    @Test
    void letterboxingCentresTheImageAndMapsComeBackWithoutThePadding() {
        Preprocessor letterbox = new Preprocessor(input(Layout.NHWC, 3, ColorOrder.RGB, ResizeMode.LETTERBOX,
                new double[3], new double[] {1, 1, 1}));
        ModelInput wide = letterbox.prepare(solid(8, 4, 0xFFFFFF));
        assertThat(wide.geometry()).isEqualTo(new InputGeometry(8, 4, 4, 4, 0, 1, 4, 2));
        assertThat(wide.pixels()[0]).isEqualTo(0f);
        assertThat(wide.pixels()[(1 * 4) * 3]).isEqualTo(255f);
        float[] rows = new float[16];
        for (int x = 0; x < 4; x++) {
            rows[4 + x] = 1;
            rows[8 + x] = 2;
        }
        SaliencyMap aligned = wide.geometry().toOriginal(new SaliencyMap(rows, 4, 4));
        assertThat(aligned.width()).isEqualTo(4);
        assertThat(aligned.height()).isEqualTo(2);
        assertThat(aligned.values()).containsExactly(1, 1, 1, 1, 2, 2, 2, 2);
    }

    @Test
    void largeReductionsAverageInsteadOfAliasing() {
        BufferedImage stripes = new BufferedImage(64, 64, BufferedImage.TYPE_INT_RGB);
        for (int y = 0; y < 64; y++) {
            for (int x = 0; x < 64; x += 2) {
                stripes.setRGB(x, y, 0xFFFFFF);
            }
        }
        Preprocessor small = new Preprocessor(input(Layout.NHWC, 3, ColorOrder.RGB, ResizeMode.STRETCH,
                new double[3], new double[] {1, 1, 1}));
        for (float value : small.prepare(stripes).pixels()) {
            assertThat(value).isCloseTo(127.5f, within(0.01f));
        }
    }
}
