package dev.lumen.explainer;

import dev.lumen.render.SaliencyMap;

/**
 * Told of a perturbation run's (RISE, D-RISE) maps while they are still being sampled, so that a
 * user can watch a map sharpen instead of waiting for the final one. Called on the explaining
 * thread at every early-stopping check, once per target; a slow listener slows the explanation,
 * and one that throws is not called again for that image (the explanation itself goes on).
 */
@FunctionalInterface
public interface PreviewListener {

    /** One target's current map. */
    void preview(Preview preview);

    /**
     * One target's map so far.
     *
     * @param target the target's position among the explanations the image will report
     * @param prediction the prediction explained
     * @param saliency the map so far, normalised to [0, 1] and aligned to the full original image
     *     like {@link TargetExplanation#saliency()}
     * @param masks masks drawn so far
     * @param budget masks the run may draw at most
     * @param predictedCorrelation the predicted correlation of the map so far with the map of the whole
     *     budget (smallest across the image's targets)
     */
    record Preview(int target, Prediction prediction, SaliencyMap saliency, int masks, int budget,
            double predictedCorrelation) {
    }
}
