package dev.lumen.explainer.detection;

/**
 * One box a detector proposed, in model-input pixels (what D-RISE compares) until
 * {@link Boxes#toOriginal} moves it into the original image.
 *
 * @param box {@code x1, y1, x2, y2} in model-input pixels
 * @param score the detection's confidence in [0, 1] (D-RISE's objectness)
 * @param label index of the best label
 * @param classScores one score per label (the class vector D-RISE compares by cosine)
 * @param mask instance mask in [0, 1] over the whole model input (row-major, input width x height),
 *     or null for plain detectors
 * @param seed the output elements the score comes from (for gradient methods), or null when the
 *     decoder cannot say
 */
public record Detection(double[] box, double score, int label, float[] classScores, float[] mask, ScoreSeed seed) {

    /** A detection whose score's output elements are unknown. */
    public Detection(double[] box, double score, int label, float[] classScores, float[] mask) {
        this(box, score, label, classScores, mask, null);
    }
}
