package dev.lumen.explainer.method;

/**
 * CAM methods that weight every activation by a function of its own gradient, position by
 * position, and keep the positive part of the sum over channels:
 * {@code ReLU(sum_k f(g_k) * A_k)}. Subclasses only choose {@code f}.
 */
abstract class PositionWeightedCam implements CamMethod {

    /** The weight of one activation, from its gradient. */
    abstract float weight(float gradient);

    @Override
    public final float[] cam(LayerMaps activations, LayerMaps gradients) {
        int channels = activations.channels();
        float[] a = activations.values();
        float[] g = gradients.values();
        float[] map = new float[activations.height() * activations.width()];
        for (int p = 0; p < map.length; p++) {
            float sum = 0;
            for (int k = 0; k < channels; k++) {
                sum += weight(g[p * channels + k]) * a[p * channels + k];
            }
            map[p] = Math.max(0, sum);
        }
        return map;
    }
}
