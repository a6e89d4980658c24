package dev.lumen.render;

import java.util.Arrays;

/**
 * A dense saliency map: one float per pixel, row-major ({@code values[y * width + x]}).
 *
 * <p>Treat instances as immutable: every operation returns a new map, and nothing in Lumen writes
 * into {@link #values()} after construction. The array is not copied, because maps travel through
 * hot loops (metrics, rendering) where a copy per access would dominate.
 *
 * @param values saliency per pixel, row-major, length {@code width * height}
 * @param width map width in pixels, at least 1
 * @param height map height in pixels, at least 1
 */
public record SaliencyMap(float[] values, int width, int height) {

    /** Validates the dimensions against the array length. */
    public SaliencyMap {
        if (width < 1 || height < 1) {
            throw new IllegalArgumentException("saliency map size must be positive, got " + width + "x" + height);
        }
        if (values == null || values.length != (long) width * height) {
            throw new IllegalArgumentException("saliency map of " + width + "x" + height + " needs "
                    + ((long) width * height) + " values, got " + (values == null ? "null" : values.length));
        }
    }

    /** A map of the given size filled with zeros. */
    public static SaliencyMap zeros(int width, int height) {
        return new SaliencyMap(new float[width * height], width, height);
    }

    /** The value at column {@code x}, row {@code y}. */
    public float get(int x, int y) {
        return values[y * width + x];
    }

    /** The largest value; the first one wins ties, as in {@link #argMax()}. */
    public float max() {
        return values[argMax()];
    }

    /** The smallest value. */
    public float min() {
        float min = values[0];
        for (float v : values) {
            min = Math.min(min, v);
        }
        return min;
    }

    /** Row-major index of the largest value (the first one on ties), e.g. for the pointing game. */
    public int argMax() {
        int best = 0;
        for (int i = 1; i < values.length; i++) {
            if (values[i] > values[best]) {
                best = i;
            }
        }
        return best;
    }

    /**
     * Bilinear resampling to {@code newWidth x newHeight}, treating each value as the centre of
     * its pixel (the convention of OpenCV's {@code INTER_LINEAR} and TensorFlow's
     * {@code half_pixel_centers}), so that a map and its resized copy stay aligned to the same image.
     */
    public SaliencyMap resize(int newWidth, int newHeight) {
        if (newWidth == width && newHeight == height) {
            return this;
        }
        double stepX = newWidth / (double) width;
        double stepY = newHeight / (double) height;
        return resample(newWidth, newHeight, stepX / 2, stepX, stepY / 2, stepY);
    }

    /**
     * Bilinear resampling onto a grid of {@code newWidth x newHeight} pixels in which this map's
     * value {@code (i, j)} sits at {@code (offsetX + i * stepX, offsetY + j * stepY)} (continuous
     * coordinates: output pixel {@code x} spans {@code [x, x + 1)}). Each output pixel reads the map
     * at its centre; beyond the outermost values the map is held constant. {@link #resize} is the
     * case of values spread evenly over the output.
     */
    public SaliencyMap resample(int newWidth, int newHeight, double offsetX, double stepX, double offsetY, double stepY) {
        float[] out = new float[newWidth * newHeight];
        int[] x0 = new int[newWidth];
        int[] x1 = new int[newWidth];
        float[] fx = new float[newWidth];
        for (int x = 0; x < newWidth; x++) {
            double cell = Math.min(Math.max((x + 0.5 - offsetX) / stepX, 0), width - 1);
            x0[x] = (int) cell;
            x1[x] = Math.min(x0[x] + 1, width - 1);
            fx[x] = (float) (cell - x0[x]);
        }
        for (int y = 0; y < newHeight; y++) {
            double cell = Math.min(Math.max((y + 0.5 - offsetY) / stepY, 0), height - 1);
            int row0 = (int) cell * width;
            int row1 = Math.min((int) cell + 1, height - 1) * width;
            float fy = (float) (cell - (int) cell);
            for (int x = 0; x < newWidth; x++) {
                float top = values[row0 + x0[x]] + (values[row0 + x1[x]] - values[row0 + x0[x]]) * fx[x];
                float bottom = values[row1 + x0[x]] + (values[row1 + x1[x]] - values[row1 + x0[x]]) * fx[x];
                out[y * newWidth + x] = top + (bottom - top) * fy;
            }
        }
        return new SaliencyMap(out, newWidth, newHeight);
    }

    /**
     * Min-max normalisation to [0, 1]. A constant map (all zeros included) becomes all zeros:
     * it carries no ranking of pixels, and showing it as uniformly "hot" would mislead.
     */
    public SaliencyMap normalized() {
        float min = min();
        float range = max() - min;
        float[] out = new float[values.length];
        if (range > 0 && Float.isFinite(range)) {
            for (int i = 0; i < out.length; i++) {
                out[i] = (values[i] - min) / range;
            }
        }
        return new SaliencyMap(out, width, height);
    }

    /** A copy of the rectangle {@code [x, x + w) x [y, y + h)}. */
    public SaliencyMap crop(int x, int y, int w, int h) {
        if (x < 0 || y < 0 || w < 1 || h < 1 || x + w > width || y + h > height) {
            throw new IllegalArgumentException("crop " + w + "x" + h + "+" + x + "+" + y
                    + " outside " + width + "x" + height);
        }
        float[] out = new float[w * h];
        for (int row = 0; row < h; row++) {
            System.arraycopy(values, (y + row) * width + x, out, row * w, w);
        }
        return new SaliencyMap(out, w, h);
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof SaliencyMap map && map.width == width && map.height == height
                && Arrays.equals(map.values, values);
    }

    @Override
    public int hashCode() {
        return 31 * (31 * width + height) + Arrays.hashCode(values);
    }

    @Override
    public String toString() {
        return "SaliencyMap[" + width + "x" + height + "]";
    }
}
