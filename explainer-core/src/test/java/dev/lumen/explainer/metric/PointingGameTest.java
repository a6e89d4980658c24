package dev.lumen.explainer.metric;

import static org.assertj.core.api.Assertions.assertThat;

import dev.lumen.render.SaliencyMap;
import org.junit.jupiter.api.Test;

class PointingGameTest {

    @Test
    void hitsWhenTheMaximumLiesInTheBox() {
        float[] values = new float[16];
        values[2 * 4 + 3] = 1;
        SaliencyMap map = new SaliencyMap(values, 4, 4);
        // Map pixel (3, 2) covers image pixels 30..40 x 20..30 of a 40x40 image; centre (35, 25).
        assertThat(PointingGame.hit(map, new double[] {30, 20, 40, 30}, 40, 40, 0)).isTrue();
        assertThat(PointingGame.hit(map, new double[] {0, 0, 20, 20}, 40, 40, 0)).isFalse();
        assertThat(PointingGame.hit(map, new double[] {0, 0, 30, 22}, 40, 40, 6)).isTrue();
    }

    @Test
    void aTiedMaximumNeedsOnlyOnePixelOnTheObject() {
        SaliencyMap flat = new SaliencyMap(new float[] {1, 1, 0, 0}, 4, 1);
        assertThat(PointingGame.hit(flat, new double[] {1, 0, 2, 1}, 4, 1, 0)).isTrue();
        assertThat(PointingGame.hit(flat, new double[] {3, 0, 4, 1}, 4, 1, 0)).isFalse();
    }
}
