package dev.lumen.explainer.method;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.lumen.explainer.method.RandomMasks.Design;
import java.util.Random;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * The orthogonal mask design against independent masks on a simulated black box (a detector-like
 * score: a steep sigmoid of how much of a hidden square the mask keeps, plus noise): same map in
 * expectation, less noise at the same mask count, and an early-stop prediction that still holds.
 */
class OrthogonalMasksTest {

    private static final int SIZE = 48;
    private static final int GRID = 8;

    @Test
    void cellColumnsAreBalancedAndPairwiseOrthogonalWithinABlock() {
        int cells = (GRID + 1) * (GRID + 1);
        OrthogonalCells design = new OrthogonalCells(cells, new SplittableRandom(4));
        int block = design.blockSize();
        assertThat(block).isEqualTo(128);
        float[][] rows = new float[block][cells];
        double[] shift = new double[2];
        double[] firstShift = null;
        for (float[] row : rows) {
            design.next(row, shift);
            firstShift = firstShift == null ? shift.clone() : firstShift;
            assertThat(shift).containsExactly(firstShift);
        }
        for (int a = 0; a < cells; a++) {
            int kept = 0;
            for (float[] row : rows) {
                kept += (int) row[a];
            }
            assertThat(kept).as("cell %d kept in half the block", a).isEqualTo(block / 2);
            for (int b = a + 1; b < cells; b++) {
                int agree = 0;
                for (float[] row : rows) {
                    agree += row[a] == row[b] ? 1 : 0;
                }
                assertThat(agree).as("cells %d and %d agree in half the block", a, b).isEqualTo(block / 2);
            }
        }
    }

    @Test
    void sameSeedSameMasksAndOnlyForHalfVisibleCells() {
        RandomMasks a = new RandomMasks(SIZE, SIZE, GRID, 0.5, 3, Design.ORTHOGONAL);
        RandomMasks b = new RandomMasks(SIZE, SIZE, GRID, 0.5, 3, Design.ORTHOGONAL);
        float[] ma = new float[SIZE * SIZE];
        float[] mb = new float[SIZE * SIZE];
        for (int i = 0; i < 300; i++) {
            a.next(ma);
            b.next(mb);
            assertThat(ma).containsExactly(mb);
        }
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> new RandomMasks(SIZE, SIZE, GRID, 0.4, 3, Design.ORTHOGONAL))
                .hasMessageContaining("p = 0.5");
        assertThat(Design.best(16, 0.5, 5000)).isEqualTo(Design.ORTHOGONAL);
        assertThat(Design.best(16, 0.5, 100)).as("a partial block is still orthogonal").isEqualTo(Design.ORTHOGONAL);
        assertThat(Design.best(16, 0.3, 5000)).isEqualTo(Design.INDEPENDENT);
    }

    @Test
    void estimatesTheSameMapAsIndependentMasks() {
        float[] independent = fusedMap(Design.INDEPENDENT, 40_000, 21);
        float[] orthogonal = fusedMap(Design.ORTHOGONAL, 40_000, 22);
        float[] independentAgain = fusedMap(Design.INDEPENDENT, 40_000, 23);
        double across = OnlineSaliency.pearson(orthogonal, independent);
        double within = OnlineSaliency.pearson(independentAgain, independent);
        assertThat(across).as("orthogonal vs independent, 40,000 masks each").isGreaterThan(0.99);
        // Were the orthogonal map biased, it would agree with the independent one less than a second
        // independent run does; it may agree more, being less noisy itself.
        assertThat(across).isGreaterThan(within - 0.002);
    }

    @Test
    void lessNoiseAtTheSameMaskCount() {
        float[] truth = fusedMap(Design.INDEPENDENT, 60_000, 99);
        double independent = 0;
        double orthogonal = 0;
        int seeds = 4;
        for (int seed = 0; seed < seeds; seed++) {
            independent += OnlineSaliency.pearson(fusedMap(Design.INDEPENDENT, 512, seed), truth) / seeds;
            orthogonal += OnlineSaliency.pearson(fusedMap(Design.ORTHOGONAL, 512, seed), truth) / seeds;
        }
        double noiseIndependent = 1 / (independent * independent) - 1;
        double noiseOrthogonal = 1 / (orthogonal * orthogonal) - 1;
        System.out.printf("512 masks: correlation with the 60,000-mask map independent %.4f, orthogonal %.4f%n",
                independent, orthogonal);
        assertThat(orthogonal).isGreaterThan(independent);
        assertThat(noiseOrthogonal).as("noise-to-signal ratio at least halved").isLessThan(noiseIndependent / 2);
    }

    @Test
    void splitHalfPredictionHoldsOverWholeBlocks() {
        int total = 4096;
        RandomMasks masks = new RandomMasks(SIZE, SIZE, GRID, 0.5, 5, Design.ORTHOGONAL);
        int block = masks.blockSize();
        Random noise = new Random(9);
        OnlineSaliency all = new OnlineSaliency(1, SIZE * SIZE);
        OnlineSaliency even = new OnlineSaliency(1, SIZE * SIZE);
        int[] checkpoints = {256, 384, 640, 1024};
        double[] predicted = new double[checkpoints.length];
        float[][] partial = new float[checkpoints.length][];
        float[] mask = new float[SIZE * SIZE];
        for (int i = 0, c = 0; i < total; i++) {
            masks.next(mask);
            double[] weight = {score(mask, noise)};
            all.add(mask, weight);
            if (i / block % 2 == 0) {
                even.add(mask, weight);
            }
            if (c < checkpoints.length && i + 1 == checkpoints[c]) {
                predicted[c] = MaskedSaliency.predictedCorrelation(all, even, total);
                partial[c] = all.map(0);
                c++;
            }
        }
        float[] full = all.map(0);
        for (int c = 0; c < checkpoints.length; c++) {
            double measured = OnlineSaliency.pearson(partial[c], full);
            assertThat(predicted[c]).as("predicted vs measured at %d of %d masks", checkpoints[c], total)
                    .isCloseTo(measured, within(0.03));
        }
    }

    @Test
    void unequalHalvesReduceToTheEqualHalvesFormula() {
        assertThat(MaskedSaliency.predictedCorrelation(0.7, 500, 500, 4000))
                .isCloseTo(MaskedSaliency.predictedCorrelation(0.7, 1000, 4000), within(1e-12));
        // A third of the masks in one half: the same split-half correlation means less noise per
        // mask than with equal halves, so a higher predicted correlation.
        assertThat(MaskedSaliency.predictedCorrelation(0.7, 333, 667, 4000))
                .isGreaterThan(MaskedSaliency.predictedCorrelation(0.7, 500, 500, 4000));
    }

    private static float[] fusedMap(Design design, int count, long seed) {
        RandomMasks masks = new RandomMasks(SIZE, SIZE, GRID, 0.5, seed, design);
        Random noise = new Random(seed + 1000);
        OnlineSaliency saliency = new OnlineSaliency(1, SIZE * SIZE);
        float[] mask = new float[SIZE * SIZE];
        for (int i = 0; i < count; i++) {
            masks.next(mask);
            saliency.add(mask, new double[] {score(mask, noise)});
        }
        return saliency.map(0);
    }

    /** A detector-like score: steep in how much of a 12x12 square at (30, 10) is kept, plus noise. */
    private static double score(float[] mask, Random noise) {
        double kept = 0;
        for (int y = 10; y < 22; y++) {
            for (int x = 30; x < 42; x++) {
                kept += mask[y * SIZE + x];
            }
        }
        return 1 / (1 + Math.exp(-12 * (kept / 144 - 0.5))) + 0.05 * noise.nextGaussian();
    }
}
