package dev.lumen.results.insights;

import com.fasterxml.jackson.annotation.JsonInclude;

/**
 * Aggregates of one class (or tag) over a run's explained images.
 *
 * @param label the class
 * @param explained number of explained targets of this class
 * @param meanScore mean model score
 * @param meanDeletionAuc mean deletion AUC over the targets that have one (lower is better)
 * @param meanInsertionAuc mean insertion AUC over the targets that have one (higher is better)
 * @param reference {@code ground-truth} when every measured target had a ground-truth box,
 *                  {@code prediction} when some used the model's own box, {@code none} without any
 * @param measured number of targets with a reference box (the in-box measures' denominator)
 * @param inBoxEnergy mean share of saliency energy inside the reference box (energy-based pointing game)
 * @param boxShare mean share of the map inside the reference box: the in-box energy an evenly spread map has
 * @param lift {@code inBoxEnergy / boxShare}: 1 at chance level, higher the more the maps concentrate on the object
 * @param pointingHitRate share of maps whose maximum lies inside the reference box
 * @param contextReliance {@code (1 - inBoxEnergy) / (1 - boxShare)} clamped to [0, 1]: the energy outside the
 *                        boxes against what evenly spread maps put there (0: on the object, 1: no more on the
 *                        object than chance); absent when every box covers its whole map
 * @param meanMap mean saliency map in image coordinates, {@link InsightsView#GRID} x {@link InsightsView#GRID}, row-major
 * @param meanBoxMap mean saliency map inside the reference box, box-normalised,
 *                   {@link InsightsView#BOX_GRID} x {@link InsightsView#BOX_GRID}, row-major; absent without boxes
 * @param contextTest the class's context test, when at least two of its targets had one
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record ClassInsights(String label, int explained, double meanScore, Double meanDeletionAuc, Double meanInsertionAuc,
                            String reference, int measured, Double inBoxEnergy, Double boxShare, Double lift,
                            Double pointingHitRate,
                            Double contextReliance, double[] meanMap, double[] meanBoxMap, ContextTestSummary contextTest) {
}
