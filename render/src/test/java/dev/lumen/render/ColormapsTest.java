package dev.lumen.render;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class ColormapsTest {

    @Test
    void turboRunsFromDarkBlueThroughGreenToDarkRed() {
        int low = Colormaps.argb(0);
        int middle = Colormaps.argb(0.5);
        int high = Colormaps.argb(1);
        assertThat(brightness(low)).isLessThan(60);
        int cold = Colormaps.argb(0.1);
        assertThat(blue(cold)).isGreaterThan(red(cold)).isGreaterThan(150);
        assertThat(green(middle)).isGreaterThan(200).isGreaterThan(red(middle)).isGreaterThan(blue(middle));
        assertThat(red(high)).isGreaterThan(green(high)).isGreaterThan(blue(high) - 1);
        assertThat(brightness(high)).isLessThan(200);
        // Hot spots are red: around 0.85 red dominates clearly.
        int hot = Colormaps.argb(0.85);
        assertThat(red(hot)).isGreaterThan(200).isGreaterThan(blue(hot));
    }

    @Test
    void coloursAreOpaqueAndOutOfRangeValuesClamp() {
        assertThat(Colormaps.argb(0.3) >>> 24).isEqualTo(0xFF);
        assertThat(Colormaps.argb(-4)).isEqualTo(Colormaps.argb(0));
        assertThat(Colormaps.argb(Double.NaN)).isEqualTo(Colormaps.argb(0));
        assertThat(Colormaps.argb(9)).isEqualTo(Colormaps.argb(1));
    }

    @Test
    void neighbouringValuesGiveNeighbouringColours() {
        for (double v = 0; v < 1; v += 0.01) {
            int a = Colormaps.argb(v);
            int b = Colormaps.argb(v + 0.01);
            assertThat(Math.abs(red(a) - red(b)) + Math.abs(green(a) - green(b)) + Math.abs(blue(a) - blue(b)))
                    .as("colour step at %.2f", v).isLessThan(60);
        }
    }

    private static int red(int argb) {
        return argb >> 16 & 0xFF;
    }

    private static int green(int argb) {
        return argb >> 8 & 0xFF;
    }

    private static int blue(int argb) {
        return argb & 0xFF;
    }

    private static int brightness(int argb) {
        return (red(argb) + green(argb) + blue(argb)) / 3;
    }
}
