package dev.lumen.explainer.method;

/**
 * HiResCAM (Draelos and Carin, 2020): the gradient multiplies the activations element-wise before
 * summing over channels, instead of being averaged per channel first. The map then shows exactly
 * which positions raised the score, for models whose head is a sum over positions.
 */
public final class HiResCam implements CamMethod {

    @Override
    public float[] cam(LayerMaps activations, LayerMaps gradients) {
        int channels = activations.channels();
        float[] a = activations.values();
        float[] g = gradients.values();
        float[] map = new float[activations.height() * activations.width()];
        for (int p = 0; p < map.length; p++) {
            float sum = 0;
            for (int k = 0; k < channels; k++) {
                sum += a[p * channels + k] * g[p * channels + k];
            }
            map[p] = Math.max(0, sum);
        }
        return map;
    }
}
