package dev.lumen.explainer;

import dev.lumen.explainer.model.InputGeometry;

/**
 * The native grid of a saliency map: a Grad-CAM map holds one value per cell of its layer, a RISE map
 * varies at the scale of its mask cells, however finely either is resampled for display. Insights read
 * "concentrated on the object" at this resolution (decision 0046).
 *
 * @param x left edge of the grid's first column
 * @param y top edge of the grid's first row
 * @param cellWidth width of one cell
 * @param cellHeight height of one cell
 */
public record MapGrid(double x, double y, double cellWidth, double cellHeight) {

    /** {@code cells} across and down spread evenly over the model input (RISE's mask grid). */
    public static MapGrid evenly(int cells, int inputWidth, int inputHeight) {
        return new MapGrid(0, 0, inputWidth / (double) cells, inputHeight / (double) cells);
    }

    /** This grid, given in model-input pixels, in the original image's pixels. */
    public MapGrid toOriginal(InputGeometry geometry) {
        double sx = geometry.originalWidth() / (double) geometry.contentWidth();
        double sy = geometry.originalHeight() / (double) geometry.contentHeight();
        return new MapGrid((x - geometry.contentX()) * sx, (y - geometry.contentY()) * sy, cellWidth * sx, cellHeight * sy);
    }
}
