package dev.lumen.explainer.method;

/**
 * CAM methods that weight each feature map by one number and keep the positive part of the sum:
 * {@code ReLU(sum_k w_k A_k)}. Subclasses only choose the weights.
 */
abstract class ChannelWeightedCam implements CamMethod {

    /** One weight per channel. */
    abstract float[] channelWeights(LayerMaps activations, LayerMaps gradients);

    @Override
    public final float[] cam(LayerMaps activations, LayerMaps gradients) {
        float[] weights = channelWeights(activations, gradients);
        int channels = activations.channels();
        float[] map = new float[activations.height() * activations.width()];
        float[] a = activations.values();
        for (int p = 0; p < map.length; p++) {
            float sum = 0;
            for (int k = 0; k < channels; k++) {
                sum += weights[k] * a[p * channels + k];
            }
            map[p] = Math.max(0, sum);
        }
        return map;
    }
}
