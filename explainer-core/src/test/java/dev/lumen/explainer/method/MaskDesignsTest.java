package dev.lumen.explainer.method;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.lumen.explainer.method.RandomMasks.Design;
import java.util.HashSet;
import java.util.Random;
import java.util.Set;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * The orthogonal design's stratified shifts and complements (decision 0035), and the estimator's
 * honesty on a simulated black box whose true D-RISE map is known: the covariance of its score
 * with each pixel's mask, computed from independent masks at a mask count far beyond any run.
 */
class MaskDesignsTest {

    private static final int SIZE = 32;
    private static final int GRID = 4;
    private static final int CELLS = (GRID + 1) * (GRID + 1);

    @Test
    void complementsFollowTheirMaskAndKeepTheBlockOrthogonal() {
        OrthogonalCells design = new OrthogonalCells(CELLS, new SplittableRandom(7), 1, true);
        int block = design.blockSize();
        assertThat(block).isEqualTo(64);
        float[][] rows = new float[block][CELLS];
        double[][] shifts = new double[block][2];
        for (int i = 0; i < block; i++) {
            design.next(rows[i], shifts[i]);
        }
        for (int i = 0; i < block; i += 2) {
            for (int c = 0; c < CELLS; c++) {
                assertThat(rows[i + 1][c]).as("mask %d cell %d is the complement of mask %d", i + 1, c, i)
                        .isEqualTo(1 - rows[i][c]);
            }
            assertThat(shifts[i + 1]).containsExactly(shifts[i]);
        }
        for (int a = 0; a < CELLS; a++) {
            for (int b = a + 1; b < CELLS; b++) {
                int agree = 0;
                for (float[] row : rows) {
                    agree += row[a] == row[b] ? 1 : 0;
                }
                assertThat(agree).as("cells %d and %d agree in half the block", a, b).isEqualTo(block / 2);
            }
        }
    }

    @Test
    void stratifiedShiftsCoverEveryStratumOncePerBlockAndKeepMostPairsOrthogonal() {
        int shiftsPerBlock = 4;
        OrthogonalCells design = new OrthogonalCells(CELLS, new SplittableRandom(3), shiftsPerBlock, false);
        int block = design.blockSize();
        float[][] rows = new float[block][CELLS];
        double[] shift = new double[2];
        Set<Integer> xStrata = new HashSet<>();
        Set<Integer> yStrata = new HashSet<>();
        Set<String> distinct = new HashSet<>();
        int[] subBlockOf = new int[block];
        for (int i = 0; i < block; i++) {
            design.next(rows[i], shift);
            xStrata.add((int) (shift[0] * shiftsPerBlock));
            yStrata.add((int) (shift[1] * shiftsPerBlock));
            distinct.add(shift[0] + "," + shift[1]);
            subBlockOf[i] = distinct.size() - 1;
        }
        assertThat(distinct).hasSize(shiftsPerBlock);
        assertThat(xStrata).hasSize(shiftsPerBlock);
        assertThat(yStrata).hasSize(shiftsPerBlock);
        // The whole block stays exactly orthogonal; within one shift's rows only a few pairs alias.
        int aliased = 0;
        int pairs = 0;
        for (int a = 0; a < CELLS; a++) {
            for (int b = a + 1; b < CELLS; b++) {
                int agree = 0;
                int agreeFirstShift = 0;
                for (int i = 0; i < block; i++) {
                    boolean same = rows[i][a] == rows[i][b];
                    agree += same ? 1 : 0;
                    agreeFirstShift += same && subBlockOf[i] == 0 ? 1 : 0;
                }
                assertThat(agree).isEqualTo(block / 2);
                pairs++;
                aliased += agreeFirstShift * 2 == block / shiftsPerBlock ? 0 : 1;
            }
        }
        assertThat(aliased).as("pairs not orthogonal within one shift's rows").isLessThan(pairs / 8);
        assertThatThrownBy(() -> new OrthogonalCells(CELLS, new SplittableRandom(3), 3, false))
                .hasMessageContaining("power of two");
    }

    @Test
    void everyDesignEstimatesTheTrueMapWithoutBias() {
        float[] truth = meanMap(Design.INDEPENDENT, 1, false, 400_000, 1, 1000);
        // Many short runs averaged: bias would survive the average, noise does not.
        for (int shifts : new int[] {1, 4}) {
            for (boolean complements : new boolean[] {false, true}) {
                float[] mean = meanMap(Design.ORTHOGONAL, shifts, complements, 256, 600, 1);
                double error = relativeError(mean, truth);
                assertThat(error).as("shifts %d, complements %s: relative error of the mean map", shifts, complements)
                        .isLessThan(0.06);
            }
        }
        float[] independentMean = meanMap(Design.INDEPENDENT, 1, false, 256, 600, 5000);
        assertThat(relativeError(independentMean, truth)).as("independent masks, same count").isLessThan(0.06);
    }

    @Test
    void theMeanScoreBaselineIsAnUnbiasedControlVariate() {
        // Subtracting the mean score (what OnlineSaliency does) changes the map by a multiple of the
        // mask sum; with a constant score offset added, the map must not move at all.
        RandomMasks masks = new RandomMasks(SIZE, SIZE, GRID, 0.5, 5, Design.ORTHOGONAL, 4, true);
        OnlineSaliency plain = new OnlineSaliency(1, SIZE * SIZE);
        OnlineSaliency shifted = new OnlineSaliency(1, SIZE * SIZE);
        Random noise = new Random(2);
        float[] mask = new float[SIZE * SIZE];
        for (int i = 0; i < 300; i++) {
            masks.next(mask);
            double w = score(mask, noise);
            plain.add(mask, new double[] {w});
            shifted.add(mask, new double[] {w + 40});
        }
        float[] a = plain.map(0);
        float[] b = shifted.map(0);
        for (int p = 0; p < a.length; p++) {
            assertThat((double) b[p]).isCloseTo(a[p], org.assertj.core.api.Assertions.within(1e-6 * (1 + Math.abs(a[p]))));
        }
    }

    /** The average over {@code runs} runs of {@code count} masks of the per-mask covariance map. */
    private static float[] meanMap(Design design, int shifts, boolean complements, int count, int runs, long seed) {
        double[] sum = new double[SIZE * SIZE];
        float[] mask = new float[SIZE * SIZE];
        for (int r = 0; r < runs; r++) {
            RandomMasks masks = new RandomMasks(SIZE, SIZE, GRID, 0.5, seed * 7919 + r, design, shifts, complements);
            Random noise = new Random(seed * 31 + r);
            OnlineSaliency saliency = new OnlineSaliency(1, SIZE * SIZE);
            for (int i = 0; i < count; i++) {
                masks.next(mask);
                saliency.add(mask, new double[] {score(mask, noise)});
            }
            float[] map = saliency.map(0);
            for (int p = 0; p < sum.length; p++) {
                sum[p] += map[p] / (double) count / runs;
            }
        }
        float[] mean = new float[sum.length];
        for (int p = 0; p < sum.length; p++) {
            mean[p] = (float) sum[p];
        }
        return mean;
    }

    private static double relativeError(float[] estimate, float[] truth) {
        double error = 0;
        double norm = 0;
        for (int p = 0; p < truth.length; p++) {
            error += (estimate[p] - truth[p]) * (double) (estimate[p] - truth[p]);
            norm += truth[p] * (double) truth[p];
        }
        return Math.sqrt(error / norm);
    }

    /**
     * A detector-like score: steep in how much of a square at (18, 6) is kept, an interaction (two
     * regions both kept), plus noise: non-additive, as real detectors are, so even-order terms exist.
     */
    static double score(float[] mask, Random noise) {
        double kept = region(mask, 18, 6, 10);
        double other = region(mask, 4, 20, 8);
        return 1 / (1 + Math.exp(-12 * (kept - 0.5))) + 0.5 * kept * other + 0.05 * noise.nextGaussian();
    }

    private static double region(float[] mask, int x0, int y0, int side) {
        double kept = 0;
        for (int y = y0; y < y0 + side; y++) {
            for (int x = x0; x < x0 + side; x++) {
                kept += mask[y * SIZE + x];
            }
        }
        return kept / (side * side);
    }
}
