package dev.lumen.explainer.model;

import java.util.Arrays;
import java.util.List;

/**
 * A dense float tensor held in Java memory: a shape and its values in row-major order. Used for
 * everything that crosses the boundary to TensorFlow, so no native memory outlives a call.
 *
 * @param shape dimensions, the first one being the batch
 * @param data values, row-major, length the product of {@code shape}
 */
public record FloatTensor(long[] shape, float[] data) {

    /** Checks that the shape and the data agree. */
    public FloatTensor {
        long size = 1;
        for (long d : shape) {
            if (d < 0) {
                throw new IllegalArgumentException("unknown dimension in shape " + Arrays.toString(shape));
            }
            size *= d;
        }
        if (size != data.length) {
            throw new IllegalArgumentException("shape " + Arrays.toString(shape) + " needs " + size
                    + " values, got " + data.length);
        }
    }

    /** Size of the first dimension. */
    public int batch() {
        return (int) shape[0];
    }

    /** Number of values per batch entry. */
    public int sampleSize() {
        return shape[0] == 0 ? 0 : data.length / (int) shape[0];
    }

    /** Shape without the batch dimension. */
    public long[] sampleShape() {
        return Arrays.copyOfRange(shape, 1, shape.length);
    }

    /** The values of batch entry {@code i}. */
    public float[] sample(int i) {
        int size = sampleSize();
        return Arrays.copyOfRange(data, i * size, (i + 1) * size);
    }

    /** Batch entry {@code i} as a tensor of batch 1. */
    public FloatTensor slice(int i) {
        long[] one = shape.clone();
        one[0] = 1;
        return new FloatTensor(one, sample(i));
    }

    /** This tensor (of batch 1) repeated {@code times} along the batch dimension. */
    public FloatTensor repeat(int times) {
        if (shape[0] != 1) {
            throw new IllegalStateException("repeat needs batch 1, got " + shape[0]);
        }
        float[] out = new float[data.length * times];
        for (int i = 0; i < times; i++) {
            System.arraycopy(data, 0, out, i * data.length, data.length);
        }
        long[] repeated = shape.clone();
        repeated[0] = times;
        return new FloatTensor(repeated, out);
    }

    /** Stacks samples of identical shape {@code sampleShape} into one batch. */
    public static FloatTensor stack(long[] sampleShape, List<float[]> samples) {
        long[] shape = new long[sampleShape.length + 1];
        shape[0] = samples.size();
        System.arraycopy(sampleShape, 0, shape, 1, sampleShape.length);
        int size = samples.isEmpty() ? 0 : samples.get(0).length;
        float[] data = new float[size * samples.size()];
        for (int i = 0; i < samples.size(); i++) {
            System.arraycopy(samples.get(i), 0, data, i * size, size);
        }
        return new FloatTensor(shape, data);
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof FloatTensor t && Arrays.equals(t.shape, shape) && Arrays.equals(t.data, data);
    }

    @Override
    public int hashCode() {
        return 31 * Arrays.hashCode(shape) + Arrays.hashCode(data);
    }

    @Override
    public String toString() {
        return "FloatTensor" + Arrays.toString(shape);
    }
}
