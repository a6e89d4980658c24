package dev.lumen.explainer.model;

import dev.lumen.render.SaliencyMap;

/**
 * Where a layer's cells sit in the model input: the centre of cell {@code i} along x is at input
 * coordinate {@code offsetX + i * strideX} (continuous coordinates, pixel {@code x} spans
 * {@code [x, x + 1)}), likewise along y.
 *
 * <p>Why it matters: TensorFlow's {@code SAME} padding pads more on the bottom and right, so every
 * stride-2 layer moves its cells half an input step down and right of where a plain resize puts
 * them. After three such layers a 12x12 map drawn by plain resizing sits 3.5 pixels up and left
 * of what the cells actually see; after five, 15.5 pixels.
 *
 * @param offsetX input x of the centre of cell column 0
 * @param strideX input pixels between neighbouring columns
 * @param offsetY input y of the centre of cell row 0
 * @param strideY input pixels between neighbouring rows
 * @param traced true when derived from the graph's convolutions and pools, false when assumed
 *     (cells spread evenly over the input, as a plain resize does)
 */
public record LayerGeometry(double offsetX, double strideX, double offsetY, double strideY, boolean traced) {

    /** The evenly spread assumption: what a plain resize of a {@code layerWidth x layerHeight} map means. */
    public static LayerGeometry evenlySpread(int layerWidth, int layerHeight, int inputWidth, int inputHeight) {
        double strideX = inputWidth / (double) layerWidth;
        double strideY = inputHeight / (double) layerHeight;
        return new LayerGeometry(strideX / 2, strideX, strideY / 2, strideY, false);
    }

    /**
     * Resamples a map at the layer's resolution to the input's, bilinearly between cell centres
     * (held constant beyond the outermost ones), each input pixel reading the map at its own centre.
     */
    public SaliencyMap toInput(SaliencyMap layerMap, int inputWidth, int inputHeight) {
        return layerMap.resample(inputWidth, inputHeight, offsetX, strideX, offsetY, strideY);
    }
}
