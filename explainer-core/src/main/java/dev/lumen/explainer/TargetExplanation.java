package dev.lumen.explainer;

import dev.lumen.explainer.metric.ContextTest;
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
 * @param context the target's scores with its context and with its object blurred away ({@link ContextTest});
 *     null when the test is off or the target has no reference box
 * @param role null for a prediction; why an error target is explained
 *     ({@link dev.lumen.explainer.targets.Target#MISSED}, {@link dev.lumen.explainer.targets.Target#TRUE_LABEL})
 */
public record TargetExplanation(Prediction target, SaliencyMap saliency, Double deletionAuc, Double insertionAuc,
        SaliencyMap region, ContextTest.ContextScores context, String role) {

    /** An explanation of a prediction. */
    public TargetExplanation(Prediction target, SaliencyMap saliency, Double deletionAuc, Double insertionAuc,
            SaliencyMap region, ContextTest.ContextScores context) {
        this(target, saliency, deletionAuc, insertionAuc, region, context, null);
    }

    /** An explanation without a context test. */
    public TargetExplanation(Prediction target, SaliencyMap saliency, Double deletionAuc, Double insertionAuc,
            SaliencyMap region) {
        this(target, saliency, deletionAuc, insertionAuc, region, null);
    }

    /** An explanation whose target has no predicted region, without a context test. */
    public TargetExplanation(Prediction target, SaliencyMap saliency, Double deletionAuc, Double insertionAuc) {
        this(target, saliency, deletionAuc, insertionAuc, null, null);
    }
}
