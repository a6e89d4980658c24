package dev.lumen.explainer;

import java.util.Arrays;

/**
 * An object in an image, given with the image (e.g. from a dataset's ground truth or an upstream
 * detector): attribute models explain each object on its own crop.
 *
 * @param box {@code x1, y1, x2, y2} in original-image pixels, x2 > x1 and y2 > y1
 * @param label what the object is, for the reader (e.g. {@code car}); may be null. Attribute
 *     predictions name the object by its box.
 */
public record ImageObject(double[] box, String label) {

    /**
     * Checks the box.
     *
     * @throws IllegalArgumentException naming what is wrong
     */
    public ImageObject {
        if (box == null || box.length != 4) {
            throw new IllegalArgumentException("object box must be [x1, y1, x2, y2], got "
                    + (box == null ? "null" : Arrays.toString(box)));
        }
        for (double edge : box) {
            if (!Double.isFinite(edge)) {
                throw new IllegalArgumentException("object box must hold finite numbers, got " + Arrays.toString(box));
            }
        }
        if (box[2] <= box[0] || box[3] <= box[1]) {
            throw new IllegalArgumentException("object box needs x2 > x1 and y2 > y1, got " + Arrays.toString(box));
        }
        box = box.clone();
    }

    @Override
    public double[] box() {
        return box.clone();
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof ImageObject o && Arrays.equals(o.box, box) && java.util.Objects.equals(o.label, label);
    }

    @Override
    public int hashCode() {
        return 31 * Arrays.hashCode(box) + java.util.Objects.hashCode(label);
    }

    @Override
    public String toString() {
        return "ImageObject[box=" + Arrays.toString(box) + ", label=" + label + "]";
    }
}
