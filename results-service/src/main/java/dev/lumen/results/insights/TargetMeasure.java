package dev.lumen.results.insights;

/**
 * The measures of one explained target, ready to be added to a run's insights.
 *
 * @param insight the per-target facts
 * @param grid the map normalised to its maximum and resampled to {@link InsightsView#GRID}², in fixed point
 *             ({@link InsightsCalculator#GRID_SCALE}); null without a map
 * @param boxGrid the map inside the reference box resampled to {@link InsightsView#BOX_GRID}², in fixed point;
 *                null without a map or a box
 */
public record TargetMeasure(ImageInsight insight, long[] grid, long[] boxGrid) {
}
