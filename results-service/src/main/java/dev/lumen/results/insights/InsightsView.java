package dev.lumen.results.insights;

import com.fasterxml.jackson.annotation.JsonInclude;

import java.util.List;

/**
 * A run's dataset insights ({@code runs/{runId}/insights.json}, {@code GET /api/runs/{id}/insights}).
 * Updated with every stored result; {@code complete} once every image of the run has an outcome.
 *
 * @param runId the run
 * @param complete whether every image of the run is counted
 * @param processed images with an outcome counted so far
 * @param total images in the run
 * @param reference {@code ground-truth} when the dataset has ground truth for the run's images,
 *                  {@code prediction} when the in-box measures use the model's own boxes,
 *                  {@code none} when there is nothing to compare with
 * @param grid side of {@link ClassInsights#meanMap()}
 * @param boxGrid side of {@link ClassInsights#meanBoxMap()}
 * @param classes per class aggregates, by label
 * @param contextReliance labels whose context reliance is defined, most context-reliant first
 *                        ({@link ClassInsights#contextReliance()} descending, then lowest lift, then label)
 * @param lookingAway the targets whose maps lie most outside their reference box, worst first (highest context
 *                    reliance, then lowest lift; at most {@value #GALLERY})
 * @param findings plain sentences with effect, 95% interval and n, largest reliable effect first ({@link Finding})
 * @param slices per tag of the dataset's images and class, the tag's images against the rest
 * @param errors the predictions typed against ground truth, per class and error type, with the top confusions;
 *               absent when no image has an evaluation
 * @param images every explained target, by image id then target; omitted from the REST summary
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record InsightsView(String runId, boolean complete, int processed, int total, String reference, int grid,
                           int boxGrid, List<ClassInsights> classes, List<String> contextReliance,
                           List<ImageInsight> lookingAway, List<Finding> findings, List<SliceInsights> slices,
                           ErrorInsights errors, List<ImageInsight> images) {

    /** Side of the image-aligned mean maps. */
    public static final int GRID = 64;
    /** Side of the box-normalised mean maps. */
    public static final int BOX_GRID = 32;
    /** Length of the "looking away" gallery. */
    public static final int GALLERY = 24;

    /** This view without the per-image list. */
    public InsightsView summary() {
        return withImages(null);
    }

    /** This view with another per-image list (e.g. with presigned links), or without one. */
    public InsightsView withImages(List<ImageInsight> newImages) {
        return withLinks(lookingAway, newImages);
    }

    /** This view with other gallery and per-image lists. */
    public InsightsView withLinks(List<ImageInsight> newLookingAway, List<ImageInsight> newImages) {
        return new InsightsView(runId, complete, processed, total, reference, grid, boxGrid, classes, contextReliance,
                newLookingAway, findings, slices, errors, newImages);
    }
}
