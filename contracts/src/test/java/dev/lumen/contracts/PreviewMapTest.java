package dev.lumen.contracts;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class PreviewMapTest {

    @Test
    void aLargeMapIsAveragedDownToAtMost32CellsASideKeepingItsShape() {
        int width = 320;
        int height = 160;
        float[] values = new float[width * height];
        for (int y = 0; y < height; y++) {
            for (int x = 0; x < width; x++) {
                values[y * width + x] = x >= 240 && y < 40 ? 5f : 1f;
            }
        }

        PreviewMap map = PreviewMap.of(values, width, height);

        assertThat(map.width()).isEqualTo(32);
        assertThat(map.height()).isEqualTo(16);
        int[] cells = map.cells();
        assertThat(cells).hasSize(32 * 16);
        assertThat(cells[0]).isZero();
        assertThat(cells[3 * 32 + 31]).isEqualTo(255);
        assertThat(cells[4 * 32 + 31]).isZero();
        assertThat(cells[3 * 32 + 23]).isZero();
        assertThat(cells[3 * 32 + 24]).isEqualTo(255);
    }

    @Test
    void aSmallMapKeepsItsResolutionAndAFlatMapIsZero() {
        assertThat(PreviewMap.of(new float[] {0, 1, 2, 3}, 2, 2).cells()).containsExactly(0, 85, 170, 255);
        assertThat(PreviewMap.of(new float[] {7, 7, 7}, 3, 1).cells()).containsExactly(0, 0, 0);
    }

    @Test
    void dataOfTheWrongSizeIsRefused() {
        assertThatThrownBy(() -> new PreviewMap(2, 2, PreviewMap.GRAY8_BASE64, "AAA=").cells())
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("2x2");
        assertThatThrownBy(() -> PreviewMap.of(new float[3], 2, 2)).isInstanceOf(IllegalArgumentException.class);
    }
}
