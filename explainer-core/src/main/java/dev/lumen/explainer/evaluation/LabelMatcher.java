package dev.lumen.explainer.evaluation;

import dev.lumen.explainer.ImageObject;
import dev.lumen.explainer.Prediction;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * Matches an image's label predictions against the labels its ground truth gives it (the distinct
 * labels of its objects: a COCO annotation of a classification or tagging dataset is an object
 * with its category).
 *
 * <p>A classifier claims one class, its top prediction (the others are its runners-up): correct
 * when it is a ground-truth label, else wrong, with as true label the ground-truth label the
 * classifier ranks best among its reported predictions (the first in ground-truth order when it
 * ranks none); the image's other ground-truth labels are missed. A tagger claims each of its
 * predictions: each is correct or wrong, and each ground-truth tag not predicted is missed.
 */
public final class LabelMatcher {

    private final List<String> labels;
    private final boolean singleLabel;

    /**
     * @param labels the model's labels (to give missed labels their index)
     * @param singleLabel whether the model is a classifier (one class per image) rather than a tagger
     */
    public LabelMatcher(List<String> labels, boolean singleLabel) {
        this.labels = List.copyOf(labels);
        this.singleLabel = singleLabel;
    }

    /** Matches {@code predictions} (best first, as reported) against the labels of {@code groundTruth}. */
    public Evaluation match(List<Prediction> predictions, List<ImageObject> groundTruth) {
        Set<String> truth = new LinkedHashSet<>();
        groundTruth.stream().map(ImageObject::label).filter(l -> l != null).forEach(truth::add);
        List<PredictionMatch> matches = new ArrayList<>();
        Set<String> accounted = new LinkedHashSet<>();
        List<Prediction> claimed = singleLabel ? predictions.subList(0, Math.min(1, predictions.size())) : predictions;
        for (int p = 0; p < claimed.size(); p++) {
            String label = claimed.get(p).label();
            if (truth.contains(label)) {
                matches.add(new PredictionMatch(p, MatchType.CORRECT, null, null));
                accounted.add(label);
            } else {
                String trueLabel = singleLabel ? trueLabel(predictions, truth) : null;
                matches.add(new PredictionMatch(p, MatchType.WRONG, trueLabel, null));
                if (trueLabel != null) {
                    accounted.add(trueLabel);
                }
            }
        }
        List<MissedObject> missed = new ArrayList<>();
        for (String label : truth) {
            if (!accounted.contains(label)) {
                int index = labels.indexOf(label);
                missed.add(new MissedObject(label, index < 0 ? null : index, null));
            }
        }
        return new Evaluation(matches, missed);
    }

    private static String trueLabel(List<Prediction> ranked, Set<String> truth) {
        return ranked.stream().map(Prediction::label).filter(truth::contains).findFirst()
                .orElse(truth.stream().findFirst().orElse(null));
    }
}
