package dev.lumen.explainer.model;

/**
 * Resizes interleaved RGB float images: block averaging for the integer part of a large reduction,
 * then bilinear interpolation with half-pixel centres.
 */
final class Resampler {

    private static final int CHANNELS = 3;

    private Resampler() {
    }

    static float[] resize(float[] rgb, int width, int height, int newWidth, int newHeight) {
        if (width == newWidth && height == newHeight) {
            return rgb.clone();
        }
        int blockX = Math.max(1, width / newWidth);
        int blockY = Math.max(1, height / newHeight);
        if (blockX > 1 || blockY > 1) {
            int reducedWidth = Math.max(newWidth, width / blockX);
            int reducedHeight = Math.max(newHeight, height / blockY);
            rgb = blockAverage(rgb, width, blockX, blockY, reducedWidth, reducedHeight);
            width = reducedWidth;
            height = reducedHeight;
        }
        return bilinear(rgb, width, height, newWidth, newHeight);
    }

    private static float[] blockAverage(float[] rgb, int width, int blockX, int blockY, int outWidth, int outHeight) {
        float[] out = new float[outWidth * outHeight * CHANNELS];
        float norm = 1f / (blockX * blockY);
        for (int y = 0; y < outHeight; y++) {
            for (int x = 0; x < outWidth; x++) {
                for (int c = 0; c < CHANNELS; c++) {
                    float sum = 0;
                    for (int dy = 0; dy < blockY; dy++) {
                        int row = (y * blockY + dy) * width;
                        for (int dx = 0; dx < blockX; dx++) {
                            sum += rgb[(row + x * blockX + dx) * CHANNELS + c];
                        }
                    }
                    out[(y * outWidth + x) * CHANNELS + c] = sum * norm;
                }
            }
        }
        return out;
    }

    private static float[] bilinear(float[] rgb, int width, int height, int newWidth, int newHeight) {
        float[] out = new float[newWidth * newHeight * CHANNELS];
        double scaleX = (double) width / newWidth;
        double scaleY = (double) height / newHeight;
        for (int y = 0; y < newHeight; y++) {
            double sy = Math.min(Math.max((y + 0.5) * scaleY - 0.5, 0), height - 1);
            int y0 = (int) sy;
            int y1 = Math.min(y0 + 1, height - 1);
            float fy = (float) (sy - y0);
            for (int x = 0; x < newWidth; x++) {
                double sx = Math.min(Math.max((x + 0.5) * scaleX - 0.5, 0), width - 1);
                int x0 = (int) sx;
                int x1 = Math.min(x0 + 1, width - 1);
                float fx = (float) (sx - x0);
                for (int c = 0; c < CHANNELS; c++) {
                    float top = lerp(rgb[(y0 * width + x0) * CHANNELS + c], rgb[(y0 * width + x1) * CHANNELS + c], fx);
                    float bottom = lerp(rgb[(y1 * width + x0) * CHANNELS + c], rgb[(y1 * width + x1) * CHANNELS + c], fx);
                    out[(y * newWidth + x) * CHANNELS + c] = lerp(top, bottom, fy);
                }
            }
        }
        return out;
    }

    private static float lerp(float a, float b, float t) {
        return a + (b - a) * t;
    }
}
