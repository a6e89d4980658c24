package dev.lumen.explainer.method;

/**
 * How the cell grid and the shift of each successive mask are drawn. Every design gives each single
 * mask the same distribution (cells independent Bernoulli({@code p}), shift uniform over one cell),
 * so the D-RISE map they estimate is the same; designs differ in how masks depend on one another
 * within a block, which is what lowers the noise of the estimate.
 */
interface MaskCells {

    /**
     * Masks per block: masks in different blocks are independent, masks within one are not, so
     * split halves for early stopping must split whole blocks.
     */
    int blockSize();

    /**
     * Draws the next mask's cells.
     *
     * @param cells receives 1 (kept) or 0 per cell of the {@code (grid + 1)^2} grid
     * @param shift receives the x and y shift, each in [0, 1) cells
     */
    void next(float[] cells, double[] shift);
}
