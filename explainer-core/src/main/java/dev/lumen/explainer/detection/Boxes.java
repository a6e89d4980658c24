package dev.lumen.explainer.detection;

import dev.lumen.explainer.model.InputGeometry;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/** Box arithmetic shared by decoders, D-RISE and reporting: IoU, NMS, input-to-original mapping. */
public final class Boxes {

    private Boxes() {
    }

    /** Intersection over union of two {@code x1, y1, x2, y2} boxes; 0 when either is empty. */
    public static double iou(double[] a, double[] b) {
        double iw = Math.min(a[2], b[2]) - Math.max(a[0], b[0]);
        double ih = Math.min(a[3], b[3]) - Math.max(a[1], b[1]);
        if (iw <= 0 || ih <= 0) {
            return 0;
        }
        double intersection = iw * ih;
        double union = area(a) + area(b) - intersection;
        return union <= 0 ? 0 : intersection / union;
    }

    /** Area of a box, 0 when inverted. */
    public static double area(double[] box) {
        return Math.max(0, box[2] - box[0]) * Math.max(0, box[3] - box[1]);
    }

    /** Intersection over union of two masks in [0, 1] (soft: sum of minima over sum of maxima). */
    public static double maskIou(float[] a, float[] b) {
        double intersection = 0;
        double union = 0;
        for (int i = 0; i < a.length; i++) {
            intersection += Math.min(a[i], b[i]);
            union += Math.max(a[i], b[i]);
        }
        return union <= 0 ? 0 : intersection / union;
    }

    /**
     * Greedy per-label non-maximum suppression: best first, dropping any box overlapping a kept box
     * of the same label by more than {@code iouThreshold}. For display and target choice only.
     */
    public static List<Detection> nms(List<Detection> detections, double scoreThreshold, double iouThreshold) {
        List<Detection> sorted = detections.stream().filter(d -> d.score() >= scoreThreshold)
                .sorted(Comparator.comparingDouble(Detection::score).reversed()).toList();
        List<Detection> kept = new ArrayList<>();
        for (Detection candidate : sorted) {
            boolean suppressed = false;
            for (Detection k : kept) {
                if (k.label() == candidate.label() && iou(k.box(), candidate.box()) > iouThreshold) {
                    suppressed = true;
                    break;
                }
            }
            if (!suppressed) {
                kept.add(candidate);
            }
        }
        return kept;
    }

    /** A model-input box in original-image pixels: undoes the resize and the letterbox padding. */
    public static double[] toOriginal(double[] box, InputGeometry geometry) {
        double sx = geometry.originalWidth() / (double) geometry.contentWidth();
        double sy = geometry.originalHeight() / (double) geometry.contentHeight();
        return new double[] {
            clamp((box[0] - geometry.contentX()) * sx, geometry.originalWidth()),
            clamp((box[1] - geometry.contentY()) * sy, geometry.originalHeight()),
            clamp((box[2] - geometry.contentX()) * sx, geometry.originalWidth()),
            clamp((box[3] - geometry.contentY()) * sy, geometry.originalHeight())};
    }

    /** An original-image box in model-input pixels: applies the resize and the letterbox offset. */
    public static double[] toInput(double[] box, InputGeometry geometry) {
        double sx = geometry.contentWidth() / (double) geometry.originalWidth();
        double sy = geometry.contentHeight() / (double) geometry.originalHeight();
        return new double[] {
            geometry.contentX() + clamp(box[0], geometry.originalWidth()) * sx,
            geometry.contentY() + clamp(box[1], geometry.originalHeight()) * sy,
            geometry.contentX() + clamp(box[2], geometry.originalWidth()) * sx,
            geometry.contentY() + clamp(box[3], geometry.originalHeight()) * sy};
    }

    private static double clamp(double value, double max) {
        return Math.max(0, Math.min(max, value));
    }
}
