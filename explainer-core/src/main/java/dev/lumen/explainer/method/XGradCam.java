package dev.lumen.explainer.method;

/**
 * XGrad-CAM (Fu et al., 2020): each feature map is weighted by its gradients averaged with the
 * feature map's own activations as weights, {@code w_k = sum_ij(A_k * g_k) / sum_ij(A_k)}, the
 * weights that make the map satisfy the paper's sensitivity and conservation axioms.
 */
public final class XGradCam extends ChannelWeightedCam {

    private static final float EPSILON = 1e-7f;

    @Override
    float[] channelWeights(LayerMaps activations, LayerMaps gradients) {
        int channels = gradients.channels();
        int positions = gradients.height() * gradients.width();
        float[] a = activations.values();
        float[] g = gradients.values();
        float[] weighted = new float[channels];
        float[] activationSums = activations.channelSums();
        for (int p = 0; p < positions; p++) {
            for (int k = 0; k < channels; k++) {
                weighted[k] += a[p * channels + k] * g[p * channels + k];
            }
        }
        for (int k = 0; k < channels; k++) {
            weighted[k] /= activationSums[k] + EPSILON;
        }
        return weighted;
    }
}
