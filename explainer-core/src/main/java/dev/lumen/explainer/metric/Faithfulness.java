package dev.lumen.explainer.metric;

/**
 * Deletion and insertion scores of one saliency map (RISE protocol).
 *
 * @param deletionAuc mean target score while the most salient pixels are blacked out step by step,
 *     in [0, 1]; lower means the map found what the model needs
 * @param insertionAuc mean target score while the most salient pixels are revealed on a blurred
 *     copy step by step, in [0, 1]; higher means the map found what the model needs
 * @param forwardPasses perturbed images the model scored
 */
public record Faithfulness(double deletionAuc, double insertionAuc, int forwardPasses) {
}
