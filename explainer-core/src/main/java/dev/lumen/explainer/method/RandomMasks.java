package dev.lumen.explainer.method;

import java.util.SplittableRandom;

/**
 * RISE's random masks, seeded: a {@code (grid + 1) x (grid + 1)} Bernoulli({@code p}) grid of
 * cells {@code width / grid} by {@code height / grid} pixels, upsampled bilinearly and shifted by a
 * random offset of up to one cell, so that mask edges do not always fall on the same pixels
 * (Petsiuk et al.). The same seed gives the same sequence of masks.
 */
public final class RandomMasks {

    private final int width;
    private final int height;
    private final int grid;
    private final double p;
    private final SplittableRandom random;
    private final double cellWidth;
    private final double cellHeight;
    private final float[] cells;
    private final float[] row;
    private final int[] columnIndex;
    private final float[] columnFraction;

    /**
     * @param width mask width in pixels
     * @param height mask height in pixels
     * @param grid cells per side, at least 1
     * @param p probability that a cell is kept (1 = visible)
     * @param seed random seed
     */
    public RandomMasks(int width, int height, int grid, double p, long seed) {
        if (grid < 1 || p <= 0 || p >= 1) {
            throw new IllegalArgumentException("grid must be >= 1 and p in (0, 1)");
        }
        this.width = width;
        this.height = height;
        this.grid = grid;
        this.p = p;
        this.random = new SplittableRandom(seed);
        this.cellWidth = width / (double) grid;
        this.cellHeight = height / (double) grid;
        this.cells = new float[(grid + 1) * (grid + 1)];
        this.row = new float[grid + 1];
        this.columnIndex = new int[width];
        this.columnFraction = new float[width];
    }

    /** Writes the next mask, values in [0, 1], row-major, into {@code mask} (length width x height). */
    public void next(float[] mask) {
        int side = grid + 1;
        for (int i = 0; i < cells.length; i++) {
            cells[i] = random.nextDouble() < p ? 1f : 0f;
        }
        double shiftX = random.nextDouble() * cellWidth;
        double shiftY = random.nextDouble() * cellHeight;
        // Pixel x samples the upsampled grid at x + shift; cell centres sit at (i + 0.5) cells.
        for (int x = 0; x < width; x++) {
            double u = Math.max(0, Math.min(grid, (x + 0.5 + shiftX) / cellWidth - 0.5));
            int i = Math.min(grid - 1, (int) u);
            columnIndex[x] = i;
            columnFraction[x] = (float) (u - i);
        }
        for (int y = 0; y < height; y++) {
            double v = Math.max(0, Math.min(grid, (y + 0.5 + shiftY) / cellHeight - 0.5));
            int j = Math.min(grid - 1, (int) v);
            float fy = (float) (v - j);
            // Separable bilinear: interpolate the two grid rows once, then along x per pixel.
            for (int i = 0; i < side; i++) {
                row[i] = cells[j * side + i] * (1 - fy) + cells[(j + 1) * side + i] * fy;
            }
            int offset = y * width;
            for (int x = 0; x < width; x++) {
                int i = columnIndex[x];
                float fx = columnFraction[x];
                mask[offset + x] = row[i] + (row[i + 1] - row[i]) * fx;
            }
        }
    }
}
