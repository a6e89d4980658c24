package dev.lumen.explainer.method;

import dev.lumen.explainer.model.ModelDescriptor.Layout;

/**
 * One image's values at a convolutional layer (activations, or gradients with respect to them),
 * always held channels-last: {@code values[(y * width + x) * channels + k]}.
 *
 * @param values the values, channels-last
 * @param height spatial height
 * @param width spatial width
 * @param channels number of channels (feature maps)
 */
public record LayerMaps(float[] values, int height, int width, int channels) {

    /** Checks the value count. */
    public LayerMaps {
        if (values.length != height * width * channels) {
            throw new IllegalArgumentException("expected " + height + "x" + width + "x" + channels + " values, got "
                    + values.length);
        }
    }

    /**
     * Wraps one sample of a 4-D tensor, converting channels-first samples to channels-last.
     *
     * @param sample the sample's values
     * @param sampleShape the sample's shape without the batch dimension (3 entries)
     * @param layout the tensor's layout
     */
    public static LayerMaps of(float[] sample, long[] sampleShape, Layout layout) {
        if (sampleShape.length != 3) {
            throw new IllegalArgumentException("a layer sample needs 3 dimensions, got " + sampleShape.length);
        }
        if (layout == Layout.NHWC) {
            return new LayerMaps(sample, (int) sampleShape[0], (int) sampleShape[1], (int) sampleShape[2]);
        }
        int channels = (int) sampleShape[0];
        int height = (int) sampleShape[1];
        int width = (int) sampleShape[2];
        float[] channelsLast = new float[sample.length];
        int plane = height * width;
        for (int k = 0; k < channels; k++) {
            for (int p = 0; p < plane; p++) {
                channelsLast[p * channels + k] = sample[k * plane + p];
            }
        }
        return new LayerMaps(channelsLast, height, width, channels);
    }

    /** Each channel's sum over all positions. */
    public float[] channelSums() {
        float[] sums = new float[channels];
        for (int p = 0; p < height * width; p++) {
            for (int k = 0; k < channels; k++) {
                sums[k] += values[p * channels + k];
            }
        }
        return sums;
    }

    /** The value at row {@code y}, column {@code x}, channel {@code k}. */
    public float get(int y, int x, int k) {
        return values[(y * width + x) * channels + k];
    }
}
