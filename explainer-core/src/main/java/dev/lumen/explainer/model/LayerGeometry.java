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
     * (clamped at the edges), each input pixel reading the map at its own centre.
     */
    public SaliencyMap toInput(SaliencyMap layerMap, int inputWidth, int inputHeight) {
        int width = layerMap.width();
        int height = layerMap.height();
        float[] values = layerMap.values();
        float[] out = new float[inputWidth * inputHeight];
        int[] x0 = new int[inputWidth];
        int[] x1 = new int[inputWidth];
        float[] fx = new float[inputWidth];
        for (int x = 0; x < inputWidth; x++) {
            double cell = clamp((x + 0.5 - offsetX) / strideX, width - 1);
            x0[x] = (int) cell;
            x1[x] = Math.min(x0[x] + 1, width - 1);
            fx[x] = (float) (cell - x0[x]);
        }
        for (int y = 0; y < inputHeight; y++) {
            double cell = clamp((y + 0.5 - offsetY) / strideY, height - 1);
            int y0 = (int) cell;
            int y1 = Math.min(y0 + 1, height - 1);
            float fy = (float) (cell - y0);
            for (int x = 0; x < inputWidth; x++) {
                float top = values[y0 * width + x0[x]] + (values[y0 * width + x1[x]] - values[y0 * width + x0[x]]) * fx[x];
                float bottom = values[y1 * width + x0[x]] + (values[y1 * width + x1[x]] - values[y1 * width + x0[x]]) * fx[x];
                out[y * inputWidth + x] = top + (bottom - top) * fy;
            }
        }
        return new SaliencyMap(out, inputWidth, inputHeight);
    }

    private static double clamp(double value, int max) {
        return Math.min(Math.max(value, 0), max);
    }
}
