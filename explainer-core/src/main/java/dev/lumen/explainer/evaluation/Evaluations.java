package dev.lumen.explainer.evaluation;

import dev.lumen.catalogue.Task;
import dev.lumen.explainer.ImageObject;
import dev.lumen.explainer.Prediction;
import java.util.List;

/** The matching of a task's predictions against ground truth: the one place that picks the matcher per task. */
public final class Evaluations {

    private Evaluations() {
    }

    /** Whether {@code task}'s predictions are matched: detectors, instance segmenters, classifiers, taggers. */
    public static boolean evaluates(Task task) {
        return switch (task) {
            case DETECTION, INSTANCE_SEGMENTATION, CLASSIFICATION, MULTILABEL -> true;
            // Attributes judge given objects (no prediction to type); segments have no object ground truth here.
            case ATTRIBUTES, SEMANTIC_SEGMENTATION -> false;
        };
    }

    /**
     * The image's predictions matched against its ground truth; null when the task is not evaluated or
     * the image has no ground truth (an image without objects cannot tell "nothing there" from "not annotated").
     *
     * @param predictions the image's reported predictions, in reported order
     * @param labels the model's labels
     */
    public static Evaluation of(Task task, List<String> labels, List<Prediction> predictions,
            List<ImageObject> groundTruth) {
        if (!evaluates(task) || groundTruth.isEmpty()) {
            return null;
        }
        return task.scoresLabels()
                ? new LabelMatcher(labels, task == Task.CLASSIFICATION).match(predictions, groundTruth)
                : new BoxMatcher(labels).match(predictions, groundTruth);
    }
}
