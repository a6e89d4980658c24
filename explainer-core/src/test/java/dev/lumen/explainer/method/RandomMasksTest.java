package dev.lumen.explainer.method;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import org.junit.jupiter.api.Test;

/** Masks are seeded, in [0, 1], keep about p of the image, and the online fusion stays bounded. */
class RandomMasksTest {

    @Test
    void sameSeedSameMasksAndAboutPVisible() {
        RandomMasks a = new RandomMasks(64, 48, 8, 0.5, 3);
        RandomMasks b = new RandomMasks(64, 48, 8, 0.5, 3);
        float[] ma = new float[64 * 48];
        float[] mb = new float[64 * 48];
        double sum = 0;
        for (int i = 0; i < 200; i++) {
            a.next(ma);
            b.next(mb);
            assertThat(ma).containsExactly(mb);
            for (float v : ma) {
                assertThat(v).isBetween(0f, 1f);
                sum += v;
            }
        }
        assertThat(sum / (200.0 * ma.length)).isCloseTo(0.5, within(0.03));
    }

    @Test
    void fusionSubtractsTheMeanWeightTimesTheMaskSum() {
        OnlineSaliency saliency = new OnlineSaliency(1, 2);
        saliency.add(new float[] {1, 0}, new double[] {1});
        saliency.add(new float[] {0, 1}, new double[] {0});
        // sum(w m) = (1, 0); mean w = 0.5; mask sum = (1, 1).
        assertThat(saliency.map(0)).containsExactly(0.5f, -0.5f);
        assertThat(OnlineSaliency.pearson(new float[] {1, 2, 3}, new float[] {2, 4, 6})).isCloseTo(1, within(1e-9));
    }
}
