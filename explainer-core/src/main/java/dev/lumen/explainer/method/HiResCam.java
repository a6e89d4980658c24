package dev.lumen.explainer.method;

/**
 * HiResCAM (Draelos and Carin, 2020): the gradient multiplies the activations element-wise before
 * summing over channels, instead of being averaged per channel first. The map then shows exactly
 * which positions raised the score, for models whose head is a sum over positions.
 */
public final class HiResCam extends PositionWeightedCam {

    @Override
    float weight(float gradient) {
        return gradient;
    }
}
