package dev.lumen.explainer.method;

import static org.assertj.core.api.Assertions.assertThat;

import dev.lumen.explainer.method.RandomMasks.Design;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * Early stopping through {@link MaskedSaliency#estimate} on a simulated black box with two targets:
 * wherever it stops, the stopped map agrees with the map the whole budget gives (same seed) at least
 * as well as asked, and every check is reported to the progress listener in order.
 */
class EarlyStopRuleTest {

    private static final int SIZE = 32;
    private static final int BUDGET = 4000;

    @Test
    void neverStopsBeforeTheMapMeetsTheCriterion() {
        int stoppedEarly = 0;
        for (long seed = 1; seed <= 6; seed++) {
            for (Design design : Design.values()) {
                List<MaskedSaliency.Checkpoint> checks = new ArrayList<>();
                MaskedSaliency.Result stopped = run(design, seed, true, checks::add);
                MaskedSaliency.Result full = run(design, seed, false, null);
                assertThat(full.masksUsed()).isEqualTo(BUDGET);
                if (!stopped.stoppedEarly()) {
                    continue;
                }
                stoppedEarly++;
                assertThat(checks).isNotEmpty();
                assertThat(checks.get(checks.size() - 1).converged()).isTrue();
                assertThat(checks.get(checks.size() - 1).masks()).isEqualTo(stopped.masksUsed());
                for (int c = 1; c < checks.size(); c++) {
                    assertThat(checks.get(c).masks()).isGreaterThan(checks.get(c - 1).masks());
                }
                for (int t = 0; t < 2; t++) {
                    double r = OnlineSaliency.pearson(stopped.maps().get(t).values(), full.maps().get(t).values());
                    assertThat(r).as("%s seed %d target %d: Pearson with the %d-mask map after stopping at %d",
                            design, seed, t, BUDGET, stopped.masksUsed()).isGreaterThanOrEqualTo(0.95);
                }
            }
        }
        assertThat(stoppedEarly).as("runs that stopped early (the rule must be exercised)").isGreaterThan(6);
    }

    @Test
    void theSameSeedGivesTheSameMapsWithOrWithoutAListener() {
        MaskedSaliency.Result a = run(Design.ORTHOGONAL, 3, true, null);
        MaskedSaliency.Result b = run(Design.ORTHOGONAL, 3, true, check -> { });
        assertThat(b.masksUsed()).isEqualTo(a.masksUsed());
        assertThat(b.maps().get(0).values()).containsExactly(a.maps().get(0).values());
    }

    private static MaskedSaliency.Result run(Design design, long seed, boolean earlyStop, MaskedSaliency.Progress progress) {
        Random noise = new Random(seed * 101);
        MaskedSaliency.MaskScorer scorer = (masks, size) -> {
            double[][] weights = new double[size][];
            for (int b = 0; b < size; b++) {
                weights[b] = new double[] {MaskDesignsTest.score(masks[b], noise), second(masks[b], noise)};
            }
            return weights;
        };
        MaskedSaliency.Settings settings = new MaskedSaliency.Settings(BUDGET, 4, 0.5, seed, earlyStop, 0.96, 16, design);
        return MaskedSaliency.estimate(SIZE, SIZE, 2, scorer, settings, 16, progress);
    }

    /** A second object: the product of two corners kept (an AND), plus more noise than the first. */
    private static double second(float[] mask, Random noise) {
        double a = 0;
        double b = 0;
        for (int y = 0; y < 8; y++) {
            for (int x = 0; x < 8; x++) {
                a += mask[y * SIZE + x];
                b += mask[(SIZE - 1 - y) * SIZE + (SIZE - 1 - x)];
            }
        }
        return (a / 64) * (b / 64) + 0.1 * noise.nextGaussian();
    }
}
