package dev.lumen.explainer.method;

import static org.assertj.core.api.Assertions.assertThat;

import dev.lumen.explainer.method.RandomMasks.Design;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * The box-share control variate (decision 0035) on a simulated black box whose score is a steep
 * function of how much of its box a mask keeps: the corrected map has the plain map's expectation,
 * and less noise when the score really is driven by the box share.
 */
class RegionControlTest {

    private static final int SIZE = 32;
    private static final int GRID = 4;
    private static final double[] BOX = {8, 8, 24, 20};

    @Test
    void correctedMapsAverageToThePlainMapsExpectation() {
        int runs = 120;
        int count = 256;
        double[] plain = new double[SIZE * SIZE];
        double[] corrected = new double[SIZE * SIZE];
        for (int r = 0; r < runs; r++) {
            RegionControl control = run(count, 100 + r);
            float[] p = control.plainMap(0);
            float[] c = control.map(0);
            for (int i = 0; i < p.length; i++) {
                plain[i] += p[i] / (double) count / runs;
                corrected[i] += c[i] / (double) count / runs;
            }
        }
        double error = 0;
        double norm = 0;
        for (int i = 0; i < plain.length; i++) {
            error += (corrected[i] - plain[i]) * (corrected[i] - plain[i]);
            norm += plain[i] * plain[i];
        }
        assertThat(Math.sqrt(error / norm)).as("relative difference of the mean maps over %d runs", runs)
                .isLessThan(0.05);
    }

    @Test
    void lessNoiseWhenTheScoreFollowsTheBoxShare() {
        double plain = 0;
        double corrected = 0;
        int seeds = 4;
        for (int seed = 0; seed < seeds; seed++) {
            RegionControl control = run(384, seed);
            plain += OnlineSaliency.pearson(control.plainStreamMap(0, 0), control.plainStreamMap(1, 0)) / seeds;
            corrected += OnlineSaliency.pearson(control.streamMap(0, 0), control.streamMap(1, 0)) / seeds;
        }
        // Noise-to-signal ratio of a half map: 1/r - 1 for split-half correlation r.
        assertThat(1 / corrected - 1).as("noise of the corrected halves (r %.4f) vs plain (r %.4f)", corrected, plain)
                .isLessThan((1 / plain - 1) / 3);
    }

    private static RegionControl run(int count, long seed) {
        RegionControl control = new RegionControl(SIZE, SIZE, List.of(BOX),
                new RandomMasks(SIZE, SIZE, GRID, 0.5, seed + 7_000, Design.ORTHOGONAL));
        RandomMasks[] streams = {new RandomMasks(SIZE, SIZE, GRID, 0.5, seed, Design.ORTHOGONAL),
            new RandomMasks(SIZE, SIZE, GRID, 0.5, seed + 3_000, Design.ORTHOGONAL)};
        Random noise = new Random(seed);
        float[] mask = new float[SIZE * SIZE];
        for (int i = 0; i < count; i++) {
            streams[i % 2].next(mask);
            control.add(i % 2, mask, new double[] {score(mask, noise)});
        }
        return control;
    }

    /** Steep in the share of the box kept (a detector's response to its object), plus noise. */
    private static double score(float[] mask, Random noise) {
        double kept = 0;
        for (int y = (int) BOX[1]; y < BOX[3]; y++) {
            for (int x = (int) BOX[0]; x < BOX[2]; x++) {
                kept += mask[y * SIZE + x];
            }
        }
        double share = kept / ((BOX[2] - BOX[0]) * (BOX[3] - BOX[1]));
        return 1 / (1 + Math.exp(-25 * (share - 0.55))) + 0.02 * noise.nextGaussian();
    }
}
