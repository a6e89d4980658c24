package dev.lumen.explainer.method;

/**
 * Grad-CAM++ (Chattopadhay et al., 2018): each feature map is weighted by its positive gradients,
 * each position counted with a coefficient that gives small activated regions as much say as
 * large ones. Uses the paper's closed form for an exponential output, where second and third
 * derivatives are powers of the first:
 * {@code alpha = g^2 / (2 g^2 + sum_ij(A) g^3)}, {@code w_k = sum_ij alpha * ReLU(g)}.
 */
public final class GradCamPlusPlus extends ChannelWeightedCam {

    private static final float EPSILON = 1e-7f;

    @Override
    float[] channelWeights(LayerMaps activations, LayerMaps gradients) {
        int channels = gradients.channels();
        int positions = gradients.height() * gradients.width();
        float[] g = gradients.values();
        float[] activationSums = activations.channelSums();
        float[] weights = new float[channels];
        for (int p = 0; p < positions; p++) {
            for (int k = 0; k < channels; k++) {
                float grad = g[p * channels + k];
                if (grad > 0) {
                    float squared = grad * grad;
                    float alpha = squared / (2 * squared + activationSums[k] * squared * grad + EPSILON);
                    weights[k] += alpha * grad;
                }
            }
        }
        return weights;
    }
}
