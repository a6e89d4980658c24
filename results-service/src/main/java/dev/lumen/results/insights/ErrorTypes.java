package dev.lumen.results.insights;

import dev.lumen.contracts.Evaluation;
import dev.lumen.contracts.ImageResult;
import dev.lumen.contracts.PredictionMatch;
import dev.lumen.contracts.Target;

import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * The error types of a run's predictions against ground truth, as the worker types them in
 * {@link ImageResult#evaluation()} ({@link PredictionMatch#type()}), plus {@link #MISSED} for a
 * ground-truth object or true label no prediction found. One list, in display order, for the insights,
 * the results filter and the export (decision 0075).
 */
public final class ErrorTypes {

    /** A detection matched to a ground-truth object of its class (IoU at least the threshold). */
    public static final String TRUE_POSITIVE = "true-positive";
    /** A detection overlapping no ground-truth object. */
    public static final String BACKGROUND = "background";
    /** A detection of the right class whose box overlaps its object too little. */
    public static final String LOCALISATION = "localisation";
    /** A second detection of an object already matched. */
    public static final String DUPLICATE = "duplicate";
    /** A detection on an object of another class. */
    public static final String CLASS_CONFUSION = "class-confusion";
    /** A class or tag that is one of the image's true labels. */
    public static final String CORRECT = "correct";
    /** A class or tag that is not one of the image's true labels. */
    public static final String WRONG = "wrong";
    /** A ground-truth object or true label that no prediction found. */
    public static final String MISSED = "missed";

    /** The types of detectors' predictions, then missed. */
    public static final List<String> DETECTION = List.of(TRUE_POSITIVE, BACKGROUND, LOCALISATION, DUPLICATE,
            CLASS_CONFUSION, MISSED);
    /** The types of classifiers' and taggers' predictions, then missed. */
    public static final List<String> LABEL = List.of(CORRECT, WRONG, MISSED);
    /** Every type, in display order: what the {@code error} filter accepts. */
    public static final List<String> ALL = List.of(TRUE_POSITIVE, BACKGROUND, LOCALISATION, DUPLICATE, CLASS_CONFUSION,
            CORRECT, WRONG, MISSED);

    private ErrorTypes() {
    }

    /** Whether a prediction of this type is right (a true positive or a correct label). */
    public static boolean hit(String type) {
        return TRUE_POSITIVE.equals(type) || CORRECT.equals(type);
    }

    /** The types of the image's predictions and missed objects, in {@link #ALL} order; empty without an evaluation. */
    public static Set<String> of(ImageResult result) {
        Evaluation evaluation = result.evaluation();
        Set<String> present = new LinkedHashSet<>();
        if (evaluation == null) {
            return present;
        }
        for (String type : ALL) {
            boolean found = MISSED.equals(type)
                    ? evaluation.missed() != null && !evaluation.missed().isEmpty()
                    : evaluation.matches() != null && evaluation.matches().stream().anyMatch(m -> type.equals(m.type()));
            if (found) {
                present.add(type);
            }
        }
        return present;
    }

    /**
     * Whether the image has a prediction of {@code type} (or, for {@link #MISSED}, a missed object) whose
     * label is {@code label} (case-insensitive; any label when null).
     */
    public static boolean has(ImageResult result, String type, String label) {
        Evaluation evaluation = result.evaluation();
        if (evaluation == null) {
            return false;
        }
        if (MISSED.equals(type)) {
            return evaluation.missed() != null && evaluation.missed().stream()
                    .anyMatch(m -> label == null || label.equalsIgnoreCase(m.label()));
        }
        return evaluation.matches() != null && evaluation.matches().stream()
                .filter(m -> type.equals(m.type()))
                .anyMatch(m -> label == null || label.equalsIgnoreCase(predictedLabel(result, m)));
    }

    /** The label of the prediction a match types, or null when its index points at no prediction. */
    public static String predictedLabel(ImageResult result, PredictionMatch match) {
        List<Target> predictions = result.predictions();
        if (predictions == null || match.prediction() < 0 || match.prediction() >= predictions.size()) {
            return null;
        }
        return predictions.get(match.prediction()).label();
    }

    /** Whether the image's evaluation types detections (boxes) rather than classes or tags. */
    static boolean detections(ImageResult result) {
        Evaluation evaluation = result.evaluation();
        if (evaluation.matches() != null) {
            for (PredictionMatch match : evaluation.matches()) {
                if (DETECTION.contains(match.type()) && !MISSED.equals(match.type())) {
                    return true;
                }
                if (CORRECT.equals(match.type()) || WRONG.equals(match.type())) {
                    return false;
                }
            }
        }
        return evaluation.missed() != null && evaluation.missed().stream().anyMatch(m -> m.box() != null);
    }
}
