package dev.lumen.explainer.metric;

/**
 * Separable Gaussian blur of interleaved RGB images, edges clamped. The insertion metric starts
 * from a blurred image (RISE uses an 11x11 kernel with sigma 5): shapes vanish, colours remain,
 * so the curve measures what the revealed pixels add.
 */
final class GaussianBlur {

    private static final int CHANNELS = 3;

    private GaussianBlur() {
    }

    static float[] blur(float[] rgb, int width, int height, int radius, double sigma) {
        float[] kernel = kernel(radius, sigma);
        float[] horizontal = new float[rgb.length];
        for (int y = 0; y < height; y++) {
            for (int x = 0; x < width; x++) {
                for (int c = 0; c < CHANNELS; c++) {
                    float sum = 0;
                    for (int k = -radius; k <= radius; k++) {
                        int sx = Math.min(width - 1, Math.max(0, x + k));
                        sum += kernel[k + radius] * rgb[(y * width + sx) * CHANNELS + c];
                    }
                    horizontal[(y * width + x) * CHANNELS + c] = sum;
                }
            }
        }
        float[] out = new float[rgb.length];
        for (int y = 0; y < height; y++) {
            for (int x = 0; x < width; x++) {
                for (int c = 0; c < CHANNELS; c++) {
                    float sum = 0;
                    for (int k = -radius; k <= radius; k++) {
                        int sy = Math.min(height - 1, Math.max(0, y + k));
                        sum += kernel[k + radius] * horizontal[(sy * width + x) * CHANNELS + c];
                    }
                    out[(y * width + x) * CHANNELS + c] = sum;
                }
            }
        }
        return out;
    }

    private static float[] kernel(int radius, double sigma) {
        float[] kernel = new float[2 * radius + 1];
        double sum = 0;
        for (int k = -radius; k <= radius; k++) {
            kernel[k + radius] = (float) Math.exp(-k * k / (2 * sigma * sigma));
            sum += kernel[k + radius];
        }
        for (int i = 0; i < kernel.length; i++) {
            kernel[i] /= (float) sum;
        }
        return kernel;
    }
}
