package dev.lumen.explainer.detection;

/**
 * Instance masks over the whole model input, from the forms detectors emit them in: masks already
 * at the input's size, box-relative masks (stretched into their box) and YOLO-seg prototypes
 * (a proposal's coefficients weigh shared prototype masks; the sigmoid of the sum, upsampled and
 * cropped to the box).
 */
final class InstanceMasks {

    private InstanceMasks() {
    }

    /**
     * The mask over the whole input: copied when it already has the input's size, else a
     * box-relative mask stretched into its box (bilinear, half-pixel centres).
     */
    static float[] paste(float[] data, int offset, int maskWidth, int maskHeight, double[] box, int inputWidth,
            int inputHeight) {
        float[] mask = new float[inputWidth * inputHeight];
        if (maskWidth == inputWidth && maskHeight == inputHeight) {
            System.arraycopy(data, offset, mask, 0, mask.length);
            return mask;
        }
        double boxWidth = box[2] - box[0];
        double boxHeight = box[3] - box[1];
        if (boxWidth <= 0 || boxHeight <= 0) {
            return mask;
        }
        int x0 = Math.max(0, (int) Math.floor(box[0]));
        int y0 = Math.max(0, (int) Math.floor(box[1]));
        int x1 = Math.min(inputWidth, (int) Math.ceil(box[2]));
        int y1 = Math.min(inputHeight, (int) Math.ceil(box[3]));
        for (int y = y0; y < y1; y++) {
            double v = (y + 0.5 - box[1]) / boxHeight * maskHeight - 0.5;
            for (int x = x0; x < x1; x++) {
                double u = (x + 0.5 - box[0]) / boxWidth * maskWidth - 0.5;
                mask[y * inputWidth + x] = (float) bilinear(data, offset, maskWidth, maskHeight, u, v);
            }
        }
        return mask;
    }

    /**
     * A YOLO-seg mask: {@code sigmoid(sum_p coefficients[p] * prototypes[p])} at the prototypes'
     * resolution (which covers the whole input), upsampled bilinearly and zero outside the box.
     *
     * @param prototypes the prototypes of one image, {@code P} planes of {@code height x width}, plane-major
     *     when {@code planeMajor} (NCHW) else pixel-major (NHWC)
     */
    static float[] fromPrototypes(float[] coefficients, float[] prototypes, int offset, int planes, int width,
            int height, boolean planeMajor, double[] box, int inputWidth, int inputHeight) {
        float[] low = new float[width * height];
        for (int q = 0; q < low.length; q++) {
            double sum = 0;
            for (int p = 0; p < planes; p++) {
                sum += coefficients[p] * prototypes[offset + (planeMajor ? p * low.length + q : q * planes + p)];
            }
            low[q] = (float) (1 / (1 + Math.exp(-sum)));
        }
        float[] mask = new float[inputWidth * inputHeight];
        int x0 = Math.max(0, (int) Math.floor(box[0]));
        int y0 = Math.max(0, (int) Math.floor(box[1]));
        int x1 = Math.min(inputWidth, (int) Math.ceil(box[2]));
        int y1 = Math.min(inputHeight, (int) Math.ceil(box[3]));
        for (int y = y0; y < y1; y++) {
            double v = (y + 0.5) * height / inputHeight - 0.5;
            for (int x = x0; x < x1; x++) {
                double u = (x + 0.5) * width / inputWidth - 0.5;
                mask[y * inputWidth + x] = (float) bilinear(low, 0, width, height, u, v);
            }
        }
        return mask;
    }

    /** Bilinear sample at continuous pixel coordinates {@code u, v}, clamped to the edges. */
    private static double bilinear(float[] data, int offset, int width, int height, double u, double v) {
        u = Math.max(0, Math.min(width - 1, u));
        v = Math.max(0, Math.min(height - 1, v));
        int u0 = (int) u;
        int v0 = (int) v;
        int u1 = Math.min(width - 1, u0 + 1);
        int v1 = Math.min(height - 1, v0 + 1);
        double fu = u - u0;
        double fv = v - v0;
        double top = data[offset + v0 * width + u0] * (1 - fu) + data[offset + v0 * width + u1] * fu;
        double bottom = data[offset + v1 * width + u0] * (1 - fu) + data[offset + v1 * width + u1] * fu;
        return top * (1 - fv) + bottom * fv;
    }
}
