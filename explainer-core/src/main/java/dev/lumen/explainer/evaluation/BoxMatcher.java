package dev.lumen.explainer.evaluation;

import dev.lumen.explainer.ImageObject;
import dev.lumen.explainer.Prediction;
import dev.lumen.explainer.detection.Boxes;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.stream.IntStream;

/**
 * Matches an image's detections against its ground-truth objects as COCO evaluation and TIDE
 * (Bolya et al., 2020) do: detections by descending score, each taking the unmatched same-class
 * object it overlaps most at IoU at least {@value #FOREGROUND_IOU}. A detection that takes none is,
 * in this order: a duplicate (a same-class object at that IoU is already taken), a class confusion
 * (an object of another class at that IoU), a localisation error (a same-class object at IoU in
 * [{@value #BACKGROUND_IOU}, {@value #FOREGROUND_IOU})) or background. Objects no detection took
 * are missed. Objects without a label cannot be matched by class and are left out.
 */
public final class BoxMatcher {

    /** Least IoU at which a detection is on an object (COCO's AP50, TIDE's foreground threshold). */
    public static final double FOREGROUND_IOU = 0.5;
    /** Least IoU at which a detection is near an object rather than on background (TIDE's). */
    public static final double BACKGROUND_IOU = 0.1;

    private final List<String> labels;

    /** A matcher for a model with {@code labels} (to give missed objects their label index). */
    public BoxMatcher(List<String> labels) {
        this.labels = List.copyOf(labels);
    }

    /**
     * Matches {@code detections} (each with a box) against {@code groundTruth}.
     *
     * @return one match per detection, in the detections' order, and the missed objects
     */
    public Evaluation match(List<Prediction> detections, List<ImageObject> groundTruth) {
        List<ImageObject> objects = groundTruth.stream().filter(o -> o.label() != null).toList();
        boolean[] taken = new boolean[objects.size()];
        PredictionMatch[] matches = new PredictionMatch[detections.size()];
        // Stable: equal scores keep the reported order.
        List<Integer> byScore = IntStream.range(0, detections.size()).boxed()
                .sorted(Comparator.comparingDouble((Integer i) -> detections.get(i).score()).reversed()).toList();
        for (int d : byScore) {
            matches[d] = match(d, detections.get(d), objects, taken);
        }
        List<MissedObject> missed = new ArrayList<>();
        for (int o = 0; o < objects.size(); o++) {
            if (!taken[o]) {
                String label = objects.get(o).label();
                int index = labels.indexOf(label);
                missed.add(new MissedObject(label, index < 0 ? null : index, objects.get(o).box()));
            }
        }
        return new Evaluation(List.of(matches), missed);
    }

    private static PredictionMatch match(int d, Prediction detection, List<ImageObject> objects, boolean[] taken) {
        int free = -1;
        double freeIou = 0;
        double takenIou = 0;
        double sameIou = 0;
        int other = -1;
        double otherIou = 0;
        double anyIou = 0;
        for (int o = 0; o < objects.size(); o++) {
            double iou = Boxes.iou(detection.box(), objects.get(o).box());
            anyIou = Math.max(anyIou, iou);
            if (detection.label().equals(objects.get(o).label())) {
                sameIou = Math.max(sameIou, iou);
                if (iou >= FOREGROUND_IOU && !taken[o] && iou > freeIou) {
                    free = o;
                    freeIou = iou;
                } else if (iou >= FOREGROUND_IOU && taken[o]) {
                    takenIou = Math.max(takenIou, iou);
                }
            } else if (iou >= FOREGROUND_IOU && iou > otherIou) {
                other = o;
                otherIou = iou;
            }
        }
        if (free >= 0) {
            taken[free] = true;
            return new PredictionMatch(d, MatchType.TRUE_POSITIVE, null, freeIou);
        }
        if (takenIou > 0) {
            return new PredictionMatch(d, MatchType.DUPLICATE, null, takenIou);
        }
        if (other >= 0) {
            return new PredictionMatch(d, MatchType.CLASS_CONFUSION, objects.get(other).label(), otherIou);
        }
        if (sameIou >= BACKGROUND_IOU) {
            return new PredictionMatch(d, MatchType.LOCALISATION, null, sameIou);
        }
        return new PredictionMatch(d, MatchType.BACKGROUND, null, anyIou);
    }
}
