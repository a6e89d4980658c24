package dev.lumen.explainer.detection;

/**
 * The output elements a proposal's score is computed from, each with the derivative of the score
 * with respect to it at this forward pass. A gradient method differentiates
 * {@code sum(weights[i] * output[elements[i]])} of one image's {@code role} output, which has the
 * score's own gradient: the exact proposal (a YOLO row, a DETR query, a NanoDet point at its stride,
 * an Object Detection API box) rather than every object of its class.
 *
 * @param role the output role holding the elements
 * @param elements indices into one image's flattened {@code role} output
 * @param weights per element, the score's partial derivative with respect to it
 */
public record ScoreSeed(String role, int[] elements, float[] weights) {

    /** Copies the arrays and checks they pair up. */
    public ScoreSeed {
        if (elements.length != weights.length) {
            throw new IllegalArgumentException(elements.length + " elements but " + weights.length + " weights");
        }
        elements = elements.clone();
        weights = weights.clone();
    }

    /** A score that is one output element itself. */
    public static ScoreSeed of(String role, int element) {
        return new ScoreSeed(role, new int[] {element}, new float[] {1});
    }

    /** The dense seed over one image's output of {@code outputSize} values. */
    public float[] dense(int outputSize) {
        float[] seed = new float[outputSize];
        for (int i = 0; i < elements.length; i++) {
            seed[elements[i]] += weights[i];
        }
        return seed;
    }
}
