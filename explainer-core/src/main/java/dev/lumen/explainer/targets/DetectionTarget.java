package dev.lumen.explainer.targets;

import dev.lumen.explainer.Prediction;
import dev.lumen.explainer.detection.Boxes;
import dev.lumen.explainer.detection.Detection;
import dev.lumen.explainer.detection.Proposals;
import java.util.Optional;

/**
 * One detected object as D-RISE's target (Petsiuk et al., 2021): a masked image's weight is the
 * best similarity between this detection and any of the masked image's proposals, where similarity
 * is localisation (box IoU, or mask IoU when both have masks) x the proposal's objectness x the
 * cosine of the two class vectors.
 *
 * @param prediction the detection as reported (box in original-image pixels)
 * @param detection the detection in model-input pixels, with its class vector and mask
 */
public record DetectionTarget(Prediction prediction, Detection detection) implements Target<Proposals> {

    /** The weight of a model run: the best similarity to its proposals ({@link #similarity(Proposals)}). */
    @Override
    public double score(Proposals proposals) {
        return similarity(proposals);
    }

    /**
     * The detection's own score elements ({@link Detection#seed}): the proposal's output row, not
     * every object of its class. Empty when the decoder cannot say (then gradient methods fall back
     * to D-RISE).
     */
    @Override
    public Optional<float[]> gradientSeed(int outputSize) {
        return detection.seed() == null ? Optional.empty() : Optional.of(detection.seed().dense(outputSize));
    }

    @Override
    public String gradientRole(String explainedRole) {
        return detection.seed() == null ? explainedRole : detection.seed().role();
    }

    /**
     * The best similarity of this target to any proposal; 0 when there is none. Exactly the
     * maximum of {@link #similarity(Detection)} over all proposals, but localisation and cosine
     * are at most 1, so a proposal's score bounds its similarity: proposals are visited best first
     * and the rest, which cannot beat the best so far, are never decoded.
     */
    public double similarity(Proposals proposals) {
        double best = 0;
        double norm = norm(detection.classScores());
        for (int i : proposals.byScore()) {
            if (proposals.score(i) <= best) {
                break;
            }
            best = Math.max(best, similarity(proposals.get(i), norm));
        }
        return best;
    }

    /** The similarity of this target to one proposal. */
    public double similarity(Detection proposal) {
        return similarity(proposal, norm(detection.classScores()));
    }

    private double similarity(Detection proposal, double norm) {
        double localisation = detection.mask() != null && proposal.mask() != null
                ? Boxes.maskIou(detection.mask(), proposal.mask())
                : Boxes.iou(detection.box(), proposal.box());
        if (localisation <= 0) {
            return 0;
        }
        return localisation * proposal.score() * cosine(detection.classScores(), norm, proposal.classScores());
    }

    /** Clamped to 1, which rounding could exceed for equal vectors: the score must bound the similarity. */
    private static double cosine(float[] a, double normA, float[] b) {
        double dot = 0;
        for (int i = 0; i < a.length; i++) {
            dot += a[i] * b[i];
        }
        double normB = norm(b);
        return normA == 0 || normB == 0 ? 0 : Math.min(1, dot / (normA * normB));
    }

    private static double norm(float[] v) {
        double sum = 0;
        for (float x : v) {
            sum += x * x;
        }
        return Math.sqrt(sum);
    }
}
