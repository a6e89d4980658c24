package dev.lumen.explainer.method;

/**
 * LayerCAM (Jiang et al., 2021): every position of every feature map is weighted by its own
 * positive gradient, {@code ReLU(sum_k ReLU(g_k) * A_k)}, so the map keeps fine detail and works at
 * shallow layers where averaging gradients over positions loses it.
 */
public final class LayerCam extends PositionWeightedCam {

    @Override
    float weight(float gradient) {
        return Math.max(0, gradient);
    }
}
