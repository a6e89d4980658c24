package dev.lumen.render;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import org.junit.jupiter.api.Test;

class SaliencyMapTest {

    @Test
    void rejectsValuesThatDoNotMatchTheSize() {
        assertThatThrownBy(() -> new SaliencyMap(new float[5], 2, 3))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("needs 6 values, got 5");
    }

    @Test
    void resizeKeepsAConstantMapConstant() {
        SaliencyMap map = new SaliencyMap(new float[] {0.25f, 0.25f, 0.25f, 0.25f}, 2, 2);
        for (float v : map.resize(7, 5).values()) {
            assertThat(v).isCloseTo(0.25f, within(1e-6f));
        }
    }

    @Test
    void resizeInterpolatesBetweenPixelCentres() {
        SaliencyMap map = new SaliencyMap(new float[] {0, 1}, 2, 1);
        SaliencyMap wide = map.resize(4, 1);
        // Output centres at 0.125, 0.375, 0.625, 0.875 of the width map to source x -0.25 (clamped),
        // 0.25, 0.75, 1.25 (clamped).
        assertThat(wide.values()).containsExactly(new float[] {0, 0.25f, 0.75f, 1}, within(1e-6f));
    }

    @Test
    void downsamplingAveragesNeighbours() {
        SaliencyMap map = new SaliencyMap(new float[] {0, 1, 0, 1}, 4, 1);
        assertThat(map.resize(2, 1).values()).containsExactly(new float[] {0.5f, 0.5f}, within(1e-6f));
    }

    @Test
    void resampleFollowsAnOffsetGrid() {
        // Values centred at x = 2.5 and 6.5 of an 8-pixel row.
        SaliencyMap shifted = new SaliencyMap(new float[] {0, 1}, 2, 1).resample(8, 1, 2.5, 4, 0.5, 1);
        assertThat(shifted.values()).containsExactly(new float[] {0, 0, 0, 0.25f, 0.5f, 0.75f, 1, 1}, within(1e-6f));
    }

    @Test
    void normalizedSpansZeroToOne() {
        SaliencyMap map = new SaliencyMap(new float[] {-2, 0, 2, 6}, 2, 2).normalized();
        assertThat(map.values()).containsExactly(new float[] {0, 0.25f, 0.5f, 1}, within(1e-6f));
    }

    @Test
    void constantMapsNormalizeToZeros() {
        assertThat(SaliencyMap.zeros(3, 2).normalized().values()).containsOnly(0f);
        assertThat(new SaliencyMap(new float[] {4, 4}, 2, 1).normalized().values()).containsOnly(0f);
    }

    @Test
    void argMaxFindsThePeak() {
        SaliencyMap map = new SaliencyMap(new float[] {0, 3, 9, 1, 9, 2}, 3, 2);
        assertThat(map.argMax()).isEqualTo(2);
        assertThat(map.max()).isEqualTo(9f);
        assertThat(map.get(1, 1)).isEqualTo(9f);
    }

    @Test
    void cropCopiesTheRectangle() {
        SaliencyMap map = new SaliencyMap(new float[] {0, 1, 2, 3, 4, 5, 6, 7, 8}, 3, 3);
        assertThat(map.crop(1, 1, 2, 2).values()).containsExactly(4, 5, 7, 8);
        assertThatThrownBy(() -> map.crop(2, 2, 2, 2)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void equalityComparesValues() {
        assertThat(new SaliencyMap(new float[] {1, 2}, 2, 1)).isEqualTo(new SaliencyMap(new float[] {1, 2}, 2, 1));
        assertThat(new SaliencyMap(new float[] {1, 2}, 2, 1)).isNotEqualTo(new SaliencyMap(new float[] {1, 2}, 1, 2));
    }
}
