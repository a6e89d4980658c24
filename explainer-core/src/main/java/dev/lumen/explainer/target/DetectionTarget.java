package dev.lumen.explainer.target;

import dev.lumen.explainer.Prediction;
import dev.lumen.explainer.detection.Boxes;
import dev.lumen.explainer.detection.Detection;
import java.util.List;

/**
 * One detected object as D-RISE's target (Petsiuk et al., 2021): a masked image's weight is the
 * best similarity between this detection and any of the masked image's proposals, where similarity
 * is localisation (box IoU, or mask IoU when both have masks) x the proposal's objectness x the
 * cosine of the two class vectors.
 *
 * @param prediction the detection as reported (box in original-image pixels)
 * @param detection the detection in model-input pixels, with its class vector and mask
 */
public record DetectionTarget(Prediction prediction, Detection detection) {

    /** The best similarity of this target to any proposal; 0 when there is none. */
    public double similarity(List<Detection> proposals) {
        double best = 0;
        float[] vector = detection.classScores();
        double norm = norm(vector);
        for (Detection proposal : proposals) {
            // Objectness bounds the product: skip proposals that cannot beat the best so far.
            if (proposal.score() <= best) {
                continue;
            }
            double localisation = detection.mask() != null && proposal.mask() != null
                    ? Boxes.maskIou(detection.mask(), proposal.mask())
                    : Boxes.iou(detection.box(), proposal.box());
            if (localisation <= 0) {
                continue;
            }
            double similarity = localisation * proposal.score() * cosine(vector, norm, proposal.classScores());
            best = Math.max(best, similarity);
        }
        return best;
    }

    private static double cosine(float[] a, double normA, float[] b) {
        double dot = 0;
        for (int i = 0; i < a.length; i++) {
            dot += a[i] * b[i];
        }
        double normB = norm(b);
        return normA == 0 || normB == 0 ? 0 : dot / (normA * normB);
    }

    private static double norm(float[] v) {
        double sum = 0;
        for (float x : v) {
            sum += x * x;
        }
        return Math.sqrt(sum);
    }
}
