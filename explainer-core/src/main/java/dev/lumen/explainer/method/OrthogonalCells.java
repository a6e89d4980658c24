package dev.lumen.explainer.method;

import java.util.SplittableRandom;

/**
 * Masks drawn in blocks whose cell columns are mutually orthogonal (for {@code p = 0.5}): within a
 * block of {@code B} masks (the smallest power of two above the number of cells) cell {@code c}
 * follows a distinct non-constant column {@code a_c} of the {@code B x B} Sylvester-Hadamard
 * matrix, flipped by a random sign {@code s_c}; the block's masks are its rows in random order.
 *
 * <p>Why: a detector's score is largely additive over the cells it sees, and with independent cells
 * the other cells' effects leak into every pixel's weighted sum as noise that only averages out
 * slowly. Orthogonal columns cancel that leak exactly within each block for the additive part.
 * Unbiased: for any fixed row, the random signs make the cells independent fair coins, and every
 * shift is uniform, so each single mask has RISE's distribution.
 *
 * <p>Shifts: with one shift per block the cancellation is exact (a new shift per mask re-weights
 * the rows and undoes most of it), but a map of one or two blocks then sees only one or two shifts
 * of the cell grid. With {@code shiftsPerBlock = K} the block is cut into {@code K} sub-blocks of
 * rows sharing their top {@code log2 K} bits (cosets of a subgroup), each with its own shift, the
 * {@code K} shifts stratified (a Latin hypercube over the cell). Within a sub-block two columns
 * stay orthogonal unless they agree on their low bits, so only a few cell pairs lose the
 * cancellation, and only by the difference of their interpolation weights between shifts.
 *
 * <p>Complements (a fold-over design): every row is followed by its complement with the same
 * shift. A pair's weighted sum {@code (w(z) - w(-z)) z} cancels every even-order interaction of
 * the score exactly, and each pixel's mask sum over a pair is 1, so kept-more-often bias vanishes.
 * The complement is a mask with RISE's distribution too, so the estimate stays unbiased.
 */
final class OrthogonalCells implements MaskCells {

    private final SplittableRandom random;
    private final int rowsPerBlock;
    private final int shiftsPerBlock;
    private final boolean complements;
    private final int[] columns;
    private final int[] signs;
    private final int[] rows;
    private final double[][] shifts;
    private final int[] subBlockOrder;
    private int index;
    private boolean complementNext;
    private int lastRow;

    /**
     * One shift per block, no complements: the design of decision 0009.
     *
     * @param cells cells per mask
     * @param random the source of columns, signs, row order and shifts
     */
    OrthogonalCells(int cells, SplittableRandom random) {
        this(cells, random, 1, false);
    }

    /**
     * @param cells cells per mask
     * @param random the source of columns, signs, row order and shifts
     * @param shiftsPerBlock a power of two, at most the rows of a block
     * @param complements whether every mask is followed by its complement
     */
    OrthogonalCells(int cells, SplittableRandom random, int shiftsPerBlock, boolean complements) {
        this.random = random;
        this.rowsPerBlock = blockSize(cells);
        if (Integer.bitCount(shiftsPerBlock) != 1 || shiftsPerBlock > rowsPerBlock) {
            throw new IllegalArgumentException("shifts per block must be a power of two up to " + rowsPerBlock
                    + ", got " + shiftsPerBlock);
        }
        this.shiftsPerBlock = shiftsPerBlock;
        this.complements = complements;
        this.columns = new int[cells];
        this.signs = new int[cells];
        this.rows = new int[rowsPerBlock];
        this.shifts = new double[shiftsPerBlock][2];
        this.subBlockOrder = new int[shiftsPerBlock];
        this.index = rowsPerBlock;
    }

    /** Rows of a block for {@code cells} cells: the smallest power of two above {@code cells}. */
    static int blockSize(int cells) {
        return Integer.highestOneBit(cells) << 1;
    }

    @Override
    public int blockSize() {
        return complements ? 2 * rowsPerBlock : rowsPerBlock;
    }

    @Override
    public void next(float[] cells, double[] shift) {
        int row;
        boolean flip;
        if (complementNext) {
            row = lastRow;
            flip = true;
            complementNext = false;
        } else {
            if (index == rowsPerBlock) {
                newBlock();
                index = 0;
            }
            row = rows[index++];
            flip = false;
            lastRow = row;
            complementNext = complements;
        }
        int flipBit = flip ? 1 : 0;
        for (int c = 0; c < columns.length; c++) {
            // Hadamard entry (-1)^popcount(row & column), flipped by the cell's sign; +1 keeps the cell.
            cells[c] = ((Integer.bitCount(row & columns[c]) + signs[c] + flipBit) & 1) == 0 ? 1f : 0f;
        }
        double[] own = shifts[row / (rowsPerBlock / shiftsPerBlock)];
        shift[0] = own[0];
        shift[1] = own[1];
    }

    private void newBlock() {
        // Distinct columns 1..rows-1 (column 0 is constant): a partial Fisher-Yates shuffle.
        int[] candidates = new int[rowsPerBlock - 1];
        for (int i = 0; i < candidates.length; i++) {
            candidates[i] = i + 1;
        }
        for (int c = 0; c < columns.length; c++) {
            swap(candidates, c, c + random.nextInt(candidates.length - c));
            columns[c] = candidates[c];
            signs[c] = random.nextInt(2);
        }
        // Sub-blocks (rows sharing their top bits) in random order, rows in random order within each.
        int perSubBlock = rowsPerBlock / shiftsPerBlock;
        for (int k = 0; k < shiftsPerBlock; k++) {
            subBlockOrder[k] = k;
        }
        shuffle(subBlockOrder, shiftsPerBlock);
        for (int k = 0, i = 0; k < shiftsPerBlock; k++) {
            int start = i;
            for (int r = 0; r < perSubBlock; r++) {
                rows[i++] = subBlockOrder[k] * perSubBlock + r;
            }
            for (int r = perSubBlock - 1; r > 0; r--) {
                swap(rows, start + r, start + random.nextInt(r + 1));
            }
        }
        // Latin hypercube over one cell: x and y strata each used once, jittered; the strata of a
        // sub-block are random, so every single shift is uniform.
        int[] strata = new int[shiftsPerBlock];
        for (int k = 0; k < shiftsPerBlock; k++) {
            strata[k] = k;
        }
        shuffle(strata, shiftsPerBlock);
        for (int k = 0; k < shiftsPerBlock; k++) {
            shifts[k][0] = (k + random.nextDouble()) / shiftsPerBlock;
            shifts[k][1] = (strata[k] + random.nextDouble()) / shiftsPerBlock;
        }
        // Sub-block k gets shift k: both orders are random, so pairing them this way is random too.
    }

    private void shuffle(int[] values, int length) {
        for (int i = length - 1; i > 0; i--) {
            swap(values, i, random.nextInt(i + 1));
        }
    }

    private static void swap(int[] values, int i, int j) {
        int t = values[i];
        values[i] = values[j];
        values[j] = t;
    }
}
