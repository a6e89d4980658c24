package dev.lumen.explainer.method;

/**
 * LayerCAM (Jiang et al., 2021): every position of every feature map is weighted by its own
 * positive gradient, {@code ReLU(sum_k ReLU(g_k) * A_k)}, so the map keeps fine detail and works at
 * shallow layers where averaging gradients over positions loses it.
 */
public final class LayerCam implements CamMethod {

    @Override
    public float[] cam(LayerMaps activations, LayerMaps gradients) {
        int channels = activations.channels();
        float[] a = activations.values();
        float[] g = gradients.values();
        float[] map = new float[activations.height() * activations.width()];
        for (int p = 0; p < map.length; p++) {
            float sum = 0;
            for (int k = 0; k < channels; k++) {
                sum += Math.max(0, g[p * channels + k]) * a[p * channels + k];
            }
            map[p] = Math.max(0, sum);
        }
        return map;
    }
}
