package dev.lumen.results.insights;

import com.fasterxml.jackson.annotation.JsonInclude;
import dev.lumen.render.SaliencyMap;

/**
 * How two runs' maps of the same target of the same image agree: the two maps' Pearson correlation
 * and each map's pointing hit on the target's reference box.
 *
 * @param imageId the image
 * @param target the target's position in the image's explanations in both runs
 * @param label the target's class or tag (the same in both runs, else the pair is not made)
 * @param pearson Pearson correlation of the two maps, both averaged over the same {@value #GRID}x{@value #GRID}
 *                blocks (1 for maps equal up to scale and offset, 0 for unrelated ones); absent when a map
 *                is missing or constant
 * @param pointingHitA whether run a's map has its maximum inside the reference box, when there is one
 * @param pointingHitB the same for run b
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record MapAgreement(String imageId, int target, String label, Double pearson, Boolean pointingHitA,
                           Boolean pointingHitB) {

    /**
     * Side of the block grid both maps are averaged over before the correlation: maps stored at the
     * image's size differ in pixels no method resolves (D-RISE's mask cells, a feature layer's stride).
     */
    public static final int GRID = 32;

    /** Whether both maps point inside the reference box or both outside it; absent without a reference. */
    public Boolean pointingAgrees() {
        return pointingHitA == null || pointingHitB == null ? null : pointingHitA.equals(pointingHitB);
    }

    /**
     * Pearson correlation of two maps after averaging each over the same grid of blocks over the
     * image; null when either is constant (a correlation is undefined there).
     */
    public static Double correlation(SaliencyMap a, SaliencyMap b) {
        double[] x = blocks(a);
        double[] y = blocks(b);
        double mx = mean(x);
        double my = mean(y);
        double sxy = 0;
        double sxx = 0;
        double syy = 0;
        for (int i = 0; i < x.length; i++) {
            double dx = x[i] - mx;
            double dy = y[i] - my;
            sxy += dx * dy;
            sxx += dx * dx;
            syy += dy * dy;
        }
        if (sxx <= 0 || syy <= 0) {
            return null;
        }
        return sxy / Math.sqrt(sxx * syy);
    }

    /** The map's mean over {@link #GRID}x{@link #GRID} blocks of the image (fewer where the map is smaller). */
    static double[] blocks(SaliencyMap map) {
        if (map.width() < GRID || map.height() < GRID) {
            return blocks(map.resize(GRID, GRID));
        }
        double[] sums = new double[GRID * GRID];
        int[] counts = new int[GRID * GRID];
        for (int y = 0; y < map.height(); y++) {
            int row = (int) ((long) y * GRID / map.height());
            for (int x = 0; x < map.width(); x++) {
                int cell = row * GRID + (int) ((long) x * GRID / map.width());
                sums[cell] += map.values()[y * map.width() + x];
                counts[cell]++;
            }
        }
        for (int i = 0; i < sums.length; i++) {
            sums[i] /= counts[i];
        }
        return sums;
    }

    private static double mean(double[] values) {
        double sum = 0;
        for (double v : values) {
            sum += v;
        }
        return sum / values.length;
    }
}
