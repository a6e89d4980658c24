package dev.lumen.contracts;

/**
 * The native grid of a saliency map in original-image pixels: a Grad-CAM map is one value per cell of
 * its layer, a RISE map varies at the scale of its mask cells, however finely either is resampled.
 * Cell {@code (i, j)} spans {@code x + i * cellWidth} to {@code x + (i + 1) * cellWidth} (likewise down);
 * {@code x} and {@code y} may be negative when the grid starts outside the image (letterboxed input).
 *
 * @param x left edge of the grid's first column
 * @param y top edge of the grid's first row
 * @param cellWidth width of one cell
 * @param cellHeight height of one cell
 */
public record MapGrid(double x, double y, double cellWidth, double cellHeight) {
}
