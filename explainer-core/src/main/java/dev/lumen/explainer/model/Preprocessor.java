package dev.lumen.explainer.model;

import dev.lumen.explainer.model.ModelDescriptor.ColorOrder;
import dev.lumen.explainer.model.ModelDescriptor.Input;
import dev.lumen.explainer.model.ModelDescriptor.Layout;
import dev.lumen.explainer.model.ModelDescriptor.ResizeMode;
import java.awt.image.BufferedImage;
import java.util.List;

/**
 * Turns images into input tensors exactly as {@code lumen-model.json} describes: resize (stretch or
 * letterbox) to the input size, then per channel {@code (pixel * scale - mean) / std} in the
 * model's colour order and layout. Stateless and thread-safe.
 *
 * <p>Resizing is bilinear with half-pixel centres (TensorFlow's {@code tf.image.resize} default);
 * when shrinking by 2x or more, pixels are first averaged in blocks so that fine detail does not
 * alias.
 */
public final class Preprocessor {

    private final Input spec;

    /** A preprocessor for the given input description. */
    public Preprocessor(Input spec) {
        this.spec = spec;
    }

    /** Resizes (and letterboxes) an image to the model input size. */
    public ModelInput prepare(BufferedImage image) {
        int width = image.getWidth();
        int height = image.getHeight();
        float[] rgb = rgb(image);
        InputGeometry geometry = geometry(width, height);
        float[] content = Resampler.resize(rgb, width, height, geometry.contentWidth(), geometry.contentHeight());
        if (spec.resize() == ResizeMode.STRETCH) {
            return new ModelInput(content, geometry.inputWidth(), geometry.inputHeight(), geometry);
        }
        float[] padded = new float[spec.width() * spec.height() * 3];
        for (int y = 0; y < geometry.contentHeight(); y++) {
            System.arraycopy(content, y * geometry.contentWidth() * 3, padded,
                    ((y + geometry.contentY()) * spec.width() + geometry.contentX()) * 3, geometry.contentWidth() * 3);
        }
        return new ModelInput(padded, spec.width(), spec.height(), geometry);
    }

    /** Shape of a batch of {@code batch} inputs of the descriptor's size in the model's layout. */
    public long[] tensorShape(int batch) {
        return tensorShape(batch, spec.width(), spec.height());
    }

    /** Shape of a batch of {@code batch} inputs of {@code width x height} in the model's layout. */
    public long[] tensorShape(int batch, int width, int height) {
        return spec.layout() == Layout.NHWC
                ? new long[] {batch, height, width, spec.channels()}
                : new long[] {batch, spec.channels(), height, width};
    }

    /** The input tensor for a batch of prepared images, all of one size. */
    public FloatTensor tensor(List<ModelInput> inputs) {
        int width = inputs.get(0).width();
        int height = inputs.get(0).height();
        int sampleSize = width * height * spec.channels();
        float[] data = new float[sampleSize * inputs.size()];
        for (int i = 0; i < inputs.size(); i++) {
            if (inputs.get(i).width() != width || inputs.get(i).height() != height) {
                throw new IllegalArgumentException("one batch holds inputs of one size");
            }
            write(inputs.get(i).pixels(), data, i * sampleSize, width * height);
        }
        return new FloatTensor(tensorShape(inputs.size(), width, height), data);
    }

    private void write(float[] pixels, float[] dest, int offset, int planeSize) {
        int channels = spec.channels();
        double[] mean = spec.mean();
        double[] std = spec.std();
        double scale = spec.scale();
        boolean bgr = spec.colorOrder() == ColorOrder.BGR;
        boolean nhwc = spec.layout() == Layout.NHWC;
        for (int p = 0; p < planeSize; p++) {
            float r = pixels[p * 3];
            float g = pixels[p * 3 + 1];
            float b = pixels[p * 3 + 2];
            for (int c = 0; c < channels; c++) {
                float value;
                if (channels == 1) {
                    value = 0.299f * r + 0.587f * g + 0.114f * b;
                } else if (c == 1) {
                    value = g;
                } else {
                    value = (c == 0) != bgr ? r : b;
                }
                float normalised = (float) ((value * scale - mean[c]) / std[c]);
                dest[offset + (nhwc ? p * channels + c : c * planeSize + p)] = normalised;
            }
        }
    }

    private InputGeometry geometry(int width, int height) {
        if (spec.resize() == ResizeMode.STRETCH) {
            int[] size = spec.sizeFor(width, height);
            return new InputGeometry(width, height, size[0], size[1], 0, 0, size[0], size[1]);
        }
        double fit = Math.min(spec.width() / (double) width, spec.height() / (double) height);
        int contentWidth = Math.max(1, Math.min(spec.width(), (int) Math.round(width * fit)));
        int contentHeight = Math.max(1, Math.min(spec.height(), (int) Math.round(height * fit)));
        return new InputGeometry(width, height, spec.width(), spec.height(),
                (spec.width() - contentWidth) / 2, (spec.height() - contentHeight) / 2, contentWidth, contentHeight);
    }

    private static float[] rgb(BufferedImage image) {
        int width = image.getWidth();
        int height = image.getHeight();
        int[] argb = image.getRGB(0, 0, width, height, null, 0, width);
        float[] rgb = new float[width * height * 3];
        for (int i = 0; i < argb.length; i++) {
            rgb[i * 3] = argb[i] >> 16 & 0xFF;
            rgb[i * 3 + 1] = argb[i] >> 8 & 0xFF;
            rgb[i * 3 + 2] = argb[i] & 0xFF;
        }
        return rgb;
    }
}
