package dev.lumen.explainer;

import dev.lumen.render.SaliencyMap;

/**
 * One explained prediction.
 *
 * @param target the prediction explained
 * @param saliency the map, normalised to [0, 1], at a moderate resolution (at most the model input
 *     size) and aligned to the full original image: stretch it over the image to overlay it
 * @param deletionAuc area under the score curve while the most salient pixels are removed (lower
 *     is better); null when metrics are off
 * @param insertionAuc area under the score curve while the most salient pixels are revealed on a
 *     blurred image (higher is better); null when metrics are off
 * @param region the pixels the model predicted for the target (1 inside, 0 outside), aligned to the
 *     full original image like {@code saliency}; null when the target has no predicted region other
 *     than its box (classes, tags, detections without masks)
 */
public record TargetExplanation(Prediction target, SaliencyMap saliency, Double deletionAuc, Double insertionAuc,
        SaliencyMap region) {

    /** An explanation whose target has no predicted region. */
    public TargetExplanation(Prediction target, SaliencyMap saliency, Double deletionAuc, Double insertionAuc) {
        this(target, saliency, deletionAuc, insertionAuc, null);
    }
}
