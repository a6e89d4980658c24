package dev.lumen.explainer.method;

import java.util.SplittableRandom;

/** RISE's original design: every cell and every shift drawn independently for every mask. */
final class IndependentCells implements MaskCells {

    private final double p;
    private final SplittableRandom random;

    IndependentCells(double p, SplittableRandom random) {
        this.p = p;
        this.random = random;
    }

    @Override
    public int blockSize() {
        return 1;
    }

    @Override
    public void next(float[] cells, double[] shift) {
        for (int i = 0; i < cells.length; i++) {
            cells[i] = random.nextDouble() < p ? 1f : 0f;
        }
        shift[0] = random.nextDouble();
        shift[1] = random.nextDouble();
    }
}
