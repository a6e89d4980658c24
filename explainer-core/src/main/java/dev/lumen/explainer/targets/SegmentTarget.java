package dev.lumen.explainer.targets;

import dev.lumen.explainer.Prediction;
import java.util.Optional;

/**
 * One class's segment of a semantic segmenter, as Grad-CAM for segmentation defines it (Vinogradova
 * et al., 2020; pytorch-grad-cam's {@code SemanticSegmentationTarget}): the explained score is the
 * class's output summed over the pixels predicted as that class. For deletion and insertion the
 * score is the class's mean probability over those same pixels, so curves stay in [0, 1].
 *
 * @param prediction the segment as reported (kind {@code segment}, box around the mask)
 * @param mask per output pixel (row-major, output height x width), whether it is in the segment
 * @param width the output's width (the mask's row length)
 * @param channel the class's channel in the output
 * @param channels channels per output pixel: the number of labels (1 for a single sigmoid)
 */
public record SegmentTarget(Prediction prediction, boolean[] mask, int width, int channel, int channels) implements Target<PixelScores> {

    /** Checks the channel. */
    public SegmentTarget {
        if (channel < 0 || channel >= channels) {
            throw new IllegalArgumentException("channel " + channel + " outside 0.." + (channels - 1));
        }
    }

    @Override
    public Optional<float[]> gradientSeed(int outputSize) {
        if (outputSize != mask.length * channels) {
            throw new IllegalArgumentException("a segment of " + mask.length + " pixels x " + channels
                    + " channels cannot seed an output of " + outputSize + " values");
        }
        float[] seed = new float[outputSize];
        for (int p = 0; p < mask.length; p++) {
            if (mask[p]) {
                seed[p * channels + channel] = 1;
            }
        }
        return Optional.of(seed);
    }

    /** The mean of the class's score over the segment, from one image's per-pixel scores. */
    @Override
    public double score(PixelScores pixelScores) {
        double sum = 0;
        int pixels = 0;
        for (int p = 0; p < mask.length; p++) {
            if (mask[p]) {
                sum += pixelScores.score(p, channel);
                pixels++;
            }
        }
        return pixels == 0 ? 0 : sum / pixels;
    }
}
