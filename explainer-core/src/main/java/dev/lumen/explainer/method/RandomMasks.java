package dev.lumen.explainer.method;

import java.util.SplittableRandom;

/**
 * RISE's random masks, seeded: a {@code (grid + 1) x (grid + 1)} Bernoulli({@code p}) grid of
 * cells {@code width / grid} by {@code height / grid} pixels, upsampled bilinearly and shifted by a
 * random offset of up to one cell, so that mask edges do not always fall on the same pixels
 * (Petsiuk et al.). The same seed and design give the same sequence of masks.
 *
 * <p>Each mask has that distribution under either {@link Design}; the orthogonal design only makes
 * masks within a block depend on one another so that their fused map is less noisy.
 */
public final class RandomMasks {

    /** How successive masks depend on one another. */
    public enum Design {
        /** Every mask independent (RISE and D-RISE as published). */
        INDEPENDENT,
        /** Blocks of masks with orthogonal cell columns and a shared shift ({@link OrthogonalCells}); p = 0.5 only. */
        ORTHOGONAL;

        /**
         * The orthogonal design where it applies ({@code p = 0.5}), otherwise independent masks. Any
         * budget will do: a partial block is a random subset of its rows, still unbiased and still
         * less noisy than independent masks, and early stopping splits two streams, not blocks.
         */
        public static Design best(int grid, double p, int masks) {
            return p == 0.5 ? ORTHOGONAL : INDEPENDENT;
        }
    }

    private final int width;
    private final int height;
    private final int grid;
    private final MaskCells design;
    private final double cellWidth;
    private final double cellHeight;
    private final float[] cells;
    private final float[] row;
    private final double[] shift = new double[2];
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
        this(width, height, grid, p, seed, Design.INDEPENDENT);
    }

    /**
     * @param width mask width in pixels
     * @param height mask height in pixels
     * @param grid cells per side, at least 1
     * @param p probability that a cell is kept (1 = visible); exactly 0.5 for {@link Design#ORTHOGONAL}
     * @param seed random seed
     * @param design how successive masks depend on one another
     */
    public RandomMasks(int width, int height, int grid, double p, long seed, Design design) {
        this(width, height, grid, p, seed, design, 1, false);
    }

    /**
     * @param width mask width in pixels
     * @param height mask height in pixels
     * @param grid cells per side, at least 1
     * @param p probability that a cell is kept (1 = visible); exactly 0.5 for {@link Design#ORTHOGONAL}
     * @param seed random seed
     * @param design how successive masks depend on one another
     * @param shiftsPerBlock stratified shifts per orthogonal block (a power of two; 1 for independent masks)
     * @param complements whether every orthogonal mask is followed by its complement
     */
    public RandomMasks(int width, int height, int grid, double p, long seed, Design design, int shiftsPerBlock,
            boolean complements) {
        if (grid < 1 || p <= 0 || p >= 1) {
            throw new IllegalArgumentException("grid must be >= 1 and p in (0, 1)");
        }
        if (design == Design.ORTHOGONAL && p != 0.5) {
            throw new IllegalArgumentException("orthogonal masks need p = 0.5, got " + p);
        }
        this.width = width;
        this.height = height;
        this.grid = grid;
        this.cellWidth = width / (double) grid;
        this.cellHeight = height / (double) grid;
        this.cells = new float[(grid + 1) * (grid + 1)];
        SplittableRandom random = new SplittableRandom(seed);
        this.design = design == Design.ORTHOGONAL ? new OrthogonalCells(cells.length, random, shiftsPerBlock, complements)
                : new IndependentCells(p, random);
        this.row = new float[grid + 1];
        this.columnIndex = new int[width];
        this.columnFraction = new float[width];
    }

    /** Masks per block of the design: split halves must split whole blocks. */
    public int blockSize() {
        return design.blockSize();
    }

    /** Writes the next mask, values in [0, 1], row-major, into {@code mask} (length width x height). */
    public void next(float[] mask) {
        int side = grid + 1;
        design.next(cells, shift);
        double shiftX = shift[0] * cellWidth;
        double shiftY = shift[1] * cellHeight;
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
