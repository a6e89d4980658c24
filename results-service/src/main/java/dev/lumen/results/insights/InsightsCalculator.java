package dev.lumen.results.insights;

import dev.lumen.contracts.ContextScores;
import dev.lumen.contracts.ImageResult;
import dev.lumen.contracts.MapGrid;
import dev.lumen.contracts.Metrics;
import dev.lumen.contracts.Target;
import dev.lumen.render.SaliencyMap;
import dev.lumen.results.storage.StoredResult;

import java.util.ArrayList;
import java.util.List;

/**
 * Measures each explained target of one stored result against its reference box: the ground truth's
 * box of the class when the dataset has one, else the model's own predicted box, else none.
 *
 * <ul>
 *   <li>in-box energy: the sum of the map's values inside the box(es) over the sum over the whole map
 *       (the energy-based pointing game);</li>
 *   <li>box share: the share of the map's cells inside the box(es), counted on the same cells as the
 *       energy, so that an evenly spread map has an in-box energy equal to it (the chance level); both
 *       on the cells of the map's native grid when the worker sent one (a CAM layer's, RISE's masks');</li>
 *   <li>lift, {@code energy / share}, and context reliance, {@code (1 - energy) / (1 - share)} clamped to
 *       [0, 1]: 0 when all the energy is on the object, 1 when the map puts no more on it than chance
 *       (decision 0046);</li>
 *   <li>pointing hit: whether the map's maximum lies inside a box;</li>
 *   <li>the map normalised to its maximum, resampled to a fixed grid over the image and, inside the
 *       first box, to a fixed box-normalised grid.</li>
 * </ul>
 * Grids are returned in fixed point so that sums over many images do not depend on the order in which
 * the images arrive: an incremental aggregate equals a recomputation from scratch exactly.
 */
public final class InsightsCalculator {

    /** Fixed-point scale of grid cells. */
    public static final double GRID_SCALE = 1_000_000;
    /** Reference kinds. */
    public static final String GROUND_TRUTH = "ground-truth";
    public static final String PREDICTION = "prediction";
    public static final String NONE = "none";

    private InsightsCalculator() {
    }

    /**
     * Measures the explained targets of {@code result} that are predictions (targets with a role are left out).
     *
     * @param result the stored record
     * @param maps the target maps by target position (an entry may be null when a file is missing)
     * @param groundTruth the dataset's ground truth
     */
    public static List<TargetMeasure> measure(StoredResult result, List<SaliencyMap> maps, GroundTruth groundTruth) {
        List<TargetMeasure> measures = new ArrayList<>();
        if (result.explanations() == null) {
            return measures;
        }
        ImageResult image = result.result();
        String base = "/api/runs/" + image.runId() + "/images/" + image.imageId() + "/";
        for (int k = 0; k < result.explanations().size(); k++) {
            StoredResult.StoredExplanation explanation = result.explanations().get(k);
            Target target = explanation.target();
            if (target.role() != null) {
                // A missed object's or a true label's map is no prediction of the model: it stays out of the
                // class measures, which describe how the model explains what it predicts (decision 0075).
                continue;
            }
            SaliencyMap map = k < maps.size() ? maps.get(k) : null;
            List<double[]> boxes = AttributeReference.isObjectAttribute(target) ? AttributeReference.objectBox(target)
                    : groundTruth.boxes(image.imageId(), image.imageKey(), target.label());
            String reference = GROUND_TRUTH;
            if (boxes.isEmpty() && target.box() != null && target.box().size() == 4) {
                boxes = List.of(new double[] {target.box().get(0), target.box().get(1), target.box().get(2), target.box().get(3)});
                reference = PREDICTION;
            } else if (boxes.isEmpty()) {
                reference = NONE;
            }
            BoxEnergy energy = null;
            Boolean hit = null;
            long[] grid = null;
            long[] boxGrid = null;
            if (map != null) {
                int width = image.width() != null ? image.width() : map.width();
                int height = image.height() != null ? image.height() : map.height();
                List<int[]> cells = boxes.stream().map(b -> toCells(b, map, width, height)).filter(c -> c != null).toList();
                if (!cells.isEmpty()) {
                    MapGrid nativeGrid = explanation.grid();
                    energy = nativeGrid == null ? inBoxEnergy(map, cells)
                            : inBoxEnergyOnGrid(map, width, height, nativeGrid, boxes);
                    int argMax = map.argMax();
                    hit = inside(cells, argMax % map.width(), argMax / map.width());
                }
                float max = map.max();
                grid = fixed(scaled(map, max).resize(InsightsView.GRID, InsightsView.GRID));
                if (!cells.isEmpty()) {
                    int[] c = cells.get(0);
                    boxGrid = fixed(scaled(map.crop(c[0], c[1], c[2] - c[0], c[3] - c[1]), max)
                            .resize(InsightsView.BOX_GRID, InsightsView.BOX_GRID));
                }
            }
            Metrics metrics = explanation.metrics();
            ContextScores context = metrics == null ? null : metrics.context();
            ImageInsight insight = new ImageInsight(image.imageId(), k, target.label(), target.score(), reference,
                    energy == null ? null : energy.energy(), energy == null ? null : energy.share(),
                    energy == null ? null : energy.lift(), energy == null ? null : energy.contextReliance(), hit,
                    metrics == null ? null : metrics.deletionAuc(), metrics == null ? null : metrics.insertionAuc(),
                    context == null ? null : context.reference(),
                    context == null ? null : round6(target.score() - context.objectRemovedScore()),
                    context == null ? null : round6(target.score() - context.contextRemovedScore()),
                    base + explanation.overlay(), "/image.html?run=" + image.runId() + "&image=" + image.imageId());
            measures.add(new TargetMeasure(insight, grid, boxGrid));
        }
        return measures;
    }

    private static double round6(double value) {
        return Math.round(value * 1e6) / 1e6;
    }

    /**
     * The in-box measures of one map against the union of its boxes.
     *
     * @param energy share of the map's (non-negative) values inside the boxes
     * @param share share of the map's cells inside the boxes: {@code energy} of an evenly spread map
     */
    record BoxEnergy(double energy, double share) {

        /** {@code energy / share}; the share is never 0 (a box covers at least one cell). */
        double lift() {
            return energy / share;
        }

        /** Context reliance, or null when the boxes cover the whole map (no outside to compare with). */
        Double contextReliance() {
            return InsightsCalculator.contextReliance(1 - energy, 1 - share);
        }
    }

    /**
     * {@code outsideEnergy / outsideShare} clamped to [0, 1], null when there is no outside: the energy
     * outside the object relative to what an evenly spread map puts there. A map can put more outside
     * than chance (it looks away); that reads 1 too, the lift below 1 telling by how much.
     */
    static Double contextReliance(double outsideEnergy, double outsideShare) {
        if (outsideShare <= 1e-12) {
            return null;
        }
        return Math.max(0, Math.min(1, outsideEnergy / outsideShare));
    }

    /** The map's in-box measures against the union of the boxes; null for an empty map. */
    static BoxEnergy inBoxEnergy(SaliencyMap map, List<int[]> cells) {
        double total = 0;
        double inside = 0;
        long insideCells = 0;
        float[] values = map.values();
        for (int y = 0; y < map.height(); y++) {
            for (int x = 0; x < map.width(); x++) {
                double v = Math.max(0, values[y * map.width() + x]);
                total += v;
                if (inside(cells, x, y)) {
                    inside += v;
                    insideCells++;
                }
            }
        }
        return total > 0 ? new BoxEnergy(inside / total, insideCells / (double) values.length) : null;
    }

    /**
     * The in-box measures at the map's native resolution (decision 0046): one value per cell of its grid
     * whose centre lies over the image (the map read there), a cell counted in the box when the boxes
     * cover at least half of it (for a box that covers no cell that much, the cell it covers most). A map concentrated
     * on the object's cells at the layer's resolution reads a context reliance near 0 whatever the
     * resampling spread around them, and an evenly spread map still has energy equal to share.
     *
     * @param width the original image's width (the grid's and the boxes' pixels)
     * @param height the original image's height
     */
    static BoxEnergy inBoxEnergyOnGrid(SaliencyMap map, int width, int height, MapGrid grid, List<double[]> boxes) {
        int firstColumn = (int) Math.floor(-grid.x() / grid.cellWidth());
        int firstRow = (int) Math.floor(-grid.y() / grid.cellHeight());
        int columns = (int) Math.ceil((width - grid.x()) / grid.cellWidth()) - firstColumn;
        int rows = (int) Math.ceil((height - grid.y()) / grid.cellHeight()) - firstRow;
        if (columns <= 0 || rows <= 0) {
            return null;
        }
        // Each cell's value is the map read at the cell's centre: there a bilinearly upsampled layer map
        // gives back the layer's own value exactly, so no resampling spill moves energy between cells.
        double[] cellValues = new double[columns * rows];
        boolean[] overImage = new boolean[columns * rows];
        for (int row = 0; row < rows; row++) {
            double centreY = grid.y() + (firstRow + row + 0.5) * grid.cellHeight();
            for (int column = 0; column < columns; column++) {
                double centreX = grid.x() + (firstColumn + column + 0.5) * grid.cellWidth();
                if (centreX < 0 || centreY < 0 || centreX >= width || centreY >= height) {
                    continue;
                }
                overImage[row * columns + column] = true;
                cellValues[row * columns + column] = Math.max(0, bilinear(map, centreX * map.width() / width - 0.5,
                        centreY * map.height() / height - 0.5));
            }
        }
        boolean[] inBox = new boolean[columns * rows];
        for (double[] box : boxes) {
            int most = -1;
            double mostCovered = 0;
            boolean any = false;
            for (int row = 0; row < rows; row++) {
                for (int column = 0; column < columns; column++) {
                    double[] cell = cellOnImage(grid, firstColumn + column, firstRow + row, width, height);
                    double area = (cell[2] - cell[0]) * (cell[3] - cell[1]);
                    if (area <= 0) {
                        continue;
                    }
                    double overlap = Math.max(0, Math.min(cell[2], box[2]) - Math.max(cell[0], box[0]))
                            * Math.max(0, Math.min(cell[3], box[3]) - Math.max(cell[1], box[1]));
                    double covered = overlap / area;
                    if (covered >= 0.5) {
                        inBox[row * columns + column] = true;
                        any = true;
                    }
                    if (covered > mostCovered) {
                        mostCovered = covered;
                        most = row * columns + column;
                    }
                }
            }
            if (!any && most >= 0) {
                inBox[most] = true;
            }
        }
        double total = 0;
        double inside = 0;
        int cells = 0;
        int insideCells = 0;
        for (int c = 0; c < cellValues.length; c++) {
            if (!overImage[c]) {
                continue;
            }
            cells++;
            total += cellValues[c];
            if (inBox[c]) {
                inside += cellValues[c];
                insideCells++;
            }
        }
        return total > 0 && insideCells > 0 ? new BoxEnergy(inside / total, insideCells / (double) cells) : null;
    }

    /** The map read at continuous pixel coordinates ({@code x}, {@code y}), values at pixel centres, held at the edges. */
    private static double bilinear(SaliencyMap map, double x, double y) {
        double cx = Math.max(0, Math.min(map.width() - 1, x));
        double cy = Math.max(0, Math.min(map.height() - 1, y));
        int x0 = (int) cx;
        int y0 = (int) cy;
        int x1 = Math.min(x0 + 1, map.width() - 1);
        int y1 = Math.min(y0 + 1, map.height() - 1);
        double fx = cx - x0;
        double fy = cy - y0;
        float[] v = map.values();
        double top = v[y0 * map.width() + x0] * (1 - fx) + v[y0 * map.width() + x1] * fx;
        double bottom = v[y1 * map.width() + x0] * (1 - fx) + v[y1 * map.width() + x1] * fx;
        return top * (1 - fy) + bottom * fy;
    }

    /** Cell ({@code column}, {@code row}) of {@code grid}, clipped to the image. */
    private static double[] cellOnImage(MapGrid grid, int column, int row, int width, int height) {
        double x1 = grid.x() + column * grid.cellWidth();
        double y1 = grid.y() + row * grid.cellHeight();
        return new double[] {Math.max(0, x1), Math.max(0, y1), Math.min(width, x1 + grid.cellWidth()),
                Math.min(height, y1 + grid.cellHeight())};
    }

    private static boolean inside(List<int[]> cells, int x, int y) {
        for (int[] c : cells) {
            if (x >= c[0] && x < c[2] && y >= c[1] && y < c[3]) {
                return true;
            }
        }
        return false;
    }

    /** The box in map pixels {@code x1, y1, x2, y2} (exclusive ends), clamped; null when empty. */
    private static int[] toCells(double[] box, SaliencyMap map, int width, int height) {
        double sx = map.width() / (double) width;
        double sy = map.height() / (double) height;
        int x1 = clamp((int) Math.floor(box[0] * sx), map.width());
        int y1 = clamp((int) Math.floor(box[1] * sy), map.height());
        int x2 = clamp((int) Math.ceil(box[2] * sx), map.width());
        int y2 = clamp((int) Math.ceil(box[3] * sy), map.height());
        return x2 > x1 && y2 > y1 ? new int[] {x1, y1, x2, y2} : null;
    }

    private static int clamp(int value, int size) {
        return Math.max(0, Math.min(size, value));
    }

    private static SaliencyMap scaled(SaliencyMap map, float max) {
        float[] out = new float[map.values().length];
        if (max > 0 && Float.isFinite(max)) {
            for (int i = 0; i < out.length; i++) {
                out[i] = Math.max(0, map.values()[i]) / max;
            }
        }
        return new SaliencyMap(out, map.width(), map.height());
    }

    private static long[] fixed(SaliencyMap map) {
        long[] out = new long[map.values().length];
        for (int i = 0; i < out.length; i++) {
            out[i] = Math.round(map.values()[i] * GRID_SCALE);
        }
        return out;
    }
}
