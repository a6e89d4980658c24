package dev.lumen.explainer.method;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * The split-half prediction of early stopping against the truth: a simulated black box whose score
 * is how much of a hidden region a mask keeps, plus noise, so the map of every mask count can be
 * computed and compared.
 */
class EarlyStopPredictionTest {

    private static final int SIZE = 48;
    private static final int TOTAL = 4000;

    @Test
    void predictedCorrelationWithTheFullMapMatchesTheMeasuredOne() {
        RandomMasks masks = new RandomMasks(SIZE, SIZE, 8, 0.5, 5);
        Random noise = new Random(9);
        OnlineSaliency all = new OnlineSaliency(1, SIZE * SIZE);
        OnlineSaliency even = new OnlineSaliency(1, SIZE * SIZE);
        int[] checkpoints = {200, 500, 1000, 2000};
        double[] predicted = new double[checkpoints.length];
        float[][] partial = new float[checkpoints.length][];
        float[] mask = new float[SIZE * SIZE];
        for (int i = 0, c = 0; i < TOTAL; i++) {
            masks.next(mask);
            double[] weight = {hiddenRegionKept(mask) + 0.3 * noise.nextGaussian()};
            all.add(mask, weight);
            if (i % 2 == 0) {
                even.add(mask, weight);
            }
            if (c < checkpoints.length && i + 1 == checkpoints[c]) {
                predicted[c] = MaskedSaliency.predictedCorrelation(all, even, TOTAL);
                partial[c] = all.map(0);
                c++;
            }
        }
        float[] full = all.map(0);
        for (int c = 0; c < checkpoints.length; c++) {
            double measured = OnlineSaliency.pearson(partial[c], full);
            assertThat(predicted[c]).as("predicted vs measured at %d of %d masks", checkpoints[c], TOTAL)
                    .isCloseTo(measured, within(0.03));
        }
        assertThat(predicted[0]).as("fewer masks, less agreement").isLessThan(predicted[checkpoints.length - 1]);
    }

    @Test
    void allMasksAgreeFullyWithThemselvesAndNoAgreementPredictsNone() {
        assertThat(MaskedSaliency.predictedCorrelation(0.4, 1000, 1000)).isCloseTo(1, within(1e-12));
        assertThat(MaskedSaliency.predictedCorrelation(0, 100, 1000)).isZero();
        assertThat(MaskedSaliency.predictedCorrelation(0.5, 100, 1000)).isBetween(0.0, 1.0);
    }

    /** Share of a 12x12 square at (30, 10) that the mask keeps. */
    private static double hiddenRegionKept(float[] mask) {
        double kept = 0;
        for (int y = 10; y < 22; y++) {
            for (int x = 30; x < 42; x++) {
                kept += mask[y * SIZE + x];
            }
        }
        return kept / 144;
    }
}
