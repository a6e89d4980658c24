package dev.lumen.explainer.targets;

/**
 * A segmenter's decoded output for one image: a probability per output pixel and channel.
 *
 * @param scores row-major {@code [height, width, channels]}
 * @param width output width
 * @param height output height
 * @param channels the label count, or 1 for a single sigmoid
 */
public record PixelScores(float[] scores, int width, int height, int channels) {

    /** The probability of {@code channel} at pixel {@code p} (row-major). */
    public float score(int p, int channel) {
        return scores[p * channels + channel];
    }
}
