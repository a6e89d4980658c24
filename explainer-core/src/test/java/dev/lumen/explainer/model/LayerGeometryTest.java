package dev.lumen.explainer.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.lumen.render.SaliencyMap;
import org.junit.jupiter.api.Test;

class LayerGeometryTest {

    private static final SaliencyMap LAYER = new SaliencyMap(new float[] {0, 1, 4, 9}, 2, 2);

    @Test
    void evenlySpreadCellsGiveAPlainResize() {
        SaliencyMap viaGeometry = LayerGeometry.evenlySpread(2, 2, 8, 6).toInput(LAYER, 8, 6);
        assertThat(viaGeometry.values()).containsExactly(LAYER.resize(8, 6).values(), within(1e-6f));
    }

    @Test
    void aShiftedGridMovesTheMapWithIt() {
        // One column of cells 4 pixels apart, centred at x = 2.5 and 6.5 in an 8-pixel-wide input.
        SaliencyMap column = new SaliencyMap(new float[] {0, 1}, 2, 1);
        SaliencyMap shifted = new LayerGeometry(2.5, 4, 0.5, 1, true).toInput(column, 8, 1);
        // Pixel x samples cell (x + 0.5 - 2.5) / 4, clamped to [0, 1].
        assertThat(shifted.values()).containsExactly(new float[] {0, 0, 0, 0.25f, 0.5f, 0.75f, 1, 1}, within(1e-6f));
    }
}
