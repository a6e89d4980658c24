package dev.lumen.explainer.method;

import java.util.SplittableRandom;

/**
 * Masks drawn in blocks whose cell columns are mutually orthogonal (for {@code p = 0.5}): within a
 * block of {@code B} masks (the smallest power of two above the number of cells) cell {@code c}
 * follows a distinct non-constant column {@code a_c} of the {@code B x B} Sylvester-Hadamard
 * matrix, flipped by a random sign {@code s_c}; the block's masks are its rows in random order and
 * share one random shift.
 *
 * <p>Why: a detector's score is largely additive over the cells it sees, and with independent cells
 * the other cells' effects leak into every pixel's weighted sum as noise that only averages out
 * slowly. Orthogonal columns cancel that leak exactly within each block for the additive part.
 * Sharing the shift keeps that cancellation exact (a per-mask shift re-weights the rows and undoes
 * most of it). Unbiased: for any fixed row, the random signs make the cells independent fair coins,
 * and the shift is uniform, so each single mask has RISE's distribution.
 */
final class OrthogonalCells implements MaskCells {

    private final SplittableRandom random;
    private final int block;
    private final int[] columns;
    private final int[] signs;
    private final int[] rows;
    private final double[] blockShift = new double[2];
    private int index;

    /**
     * @param cells cells per mask
     * @param random the source of columns, signs, row order and shifts
     */
    OrthogonalCells(int cells, SplittableRandom random) {
        this.random = random;
        this.block = blockSize(cells);
        this.columns = new int[cells];
        this.signs = new int[cells];
        this.rows = new int[block];
        this.index = block;
    }

    /** Masks per block for {@code cells} cells: the smallest power of two above {@code cells}. */
    static int blockSize(int cells) {
        return Integer.highestOneBit(cells) << 1;
    }

    @Override
    public int blockSize() {
        return block;
    }

    @Override
    public void next(float[] cells, double[] shift) {
        if (index == block) {
            newBlock();
            index = 0;
        }
        int row = rows[index++];
        for (int c = 0; c < columns.length; c++) {
            // Hadamard entry (-1)^popcount(row & column), flipped by the cell's sign; +1 keeps the cell.
            cells[c] = ((Integer.bitCount(row & columns[c]) + signs[c]) & 1) == 0 ? 1f : 0f;
        }
        shift[0] = blockShift[0];
        shift[1] = blockShift[1];
    }

    private void newBlock() {
        // Distinct columns 1..block-1 (column 0 is constant): a partial Fisher-Yates shuffle.
        int[] candidates = new int[block - 1];
        for (int i = 0; i < candidates.length; i++) {
            candidates[i] = i + 1;
        }
        for (int c = 0; c < columns.length; c++) {
            swap(candidates, c, c + random.nextInt(candidates.length - c));
            columns[c] = candidates[c];
            signs[c] = random.nextInt(2);
        }
        for (int i = 0; i < block; i++) {
            rows[i] = i;
        }
        for (int i = block - 1; i > 0; i--) {
            swap(rows, i, random.nextInt(i + 1));
        }
        blockShift[0] = random.nextDouble();
        blockShift[1] = random.nextDouble();
    }

    private static void swap(int[] values, int i, int j) {
        int t = values[i];
        values[i] = values[j];
        values[j] = t;
    }
}
