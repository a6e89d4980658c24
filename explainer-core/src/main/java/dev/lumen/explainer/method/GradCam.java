package dev.lumen.explainer.method;

/**
 * Grad-CAM (Selvaraju et al., 2017): each feature map is weighted by the spatial mean of the target
 * score's gradient with respect to it.
 */
public final class GradCam extends ChannelWeightedCam {

    @Override
    float[] channelWeights(LayerMaps activations, LayerMaps gradients) {
        int channels = gradients.channels();
        int positions = gradients.height() * gradients.width();
        float[] weights = new float[channels];
        float[] g = gradients.values();
        for (int p = 0; p < positions; p++) {
            for (int k = 0; k < channels; k++) {
                weights[k] += g[p * channels + k];
            }
        }
        for (int k = 0; k < channels; k++) {
            weights[k] /= positions;
        }
        return weights;
    }
}
