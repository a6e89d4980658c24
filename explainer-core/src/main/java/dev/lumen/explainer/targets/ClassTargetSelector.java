package dev.lumen.explainer.targets;

import dev.lumen.explainer.Prediction;
import dev.lumen.explainer.evaluation.Evaluation;
import dev.lumen.explainer.evaluation.MatchType;
import dev.lumen.explainer.evaluation.MissedObject;
import dev.lumen.explainer.evaluation.PredictionMatch;
import dev.lumen.explainer.model.InputGeometry;
import dev.lumen.catalogue.LabelChoice;
import dev.lumen.catalogue.Task;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.stream.IntStream;

/**
 * Chooses which labels of a label-scoring model to explain: the top class of a classifier, every
 * tag or attribute at or above the threshold, or one label the user asked for (explained whatever
 * its score, since "why not this class?" is a fair question).
 */
public final class ClassTargetSelector implements TargetSelector<float[]> {

    /** How many predictions a classifier reports. */
    public static final int TOP_PREDICTIONS = 5;

    private final String kind;
    /** Whether the model picks one label per image (softmax), so only its top label is explained. */
    private final boolean singleLabel;
    private final List<String> labels;
    private final double threshold;

    /**
     * A selector for a model's task, labels and score threshold.
     *
     * @throws IllegalArgumentException when the task does not score labels
     */
    public ClassTargetSelector(Task task, List<String> labels, double threshold) {
        if (!task.scoresLabels()) {
            throw new IllegalArgumentException("task " + task.id() + " does not score labels");
        }
        this.kind = task.predictionKind();
        this.singleLabel = task == Task.CLASSIFICATION;
        this.labels = List.copyOf(labels);
        this.threshold = threshold;
    }

    /**
     * Selects targets from one image's per-label scores.
     *
     * @param scores score per label, in [0, 1]
     * @param chosenIndex a label index the user asked for, or null
     * @param geometry unused: label predictions have no box
     */
    @Override
    public TargetSelection<float[]> select(float[] scores, Integer chosenIndex, InputGeometry geometry) {
        List<Prediction> ranked = IntStream.range(0, scores.length)
                .mapToObj(i -> new Prediction(kind, label(i), i, scores[i], null))
                .sorted(Comparator.comparingDouble(Prediction::score).reversed())
                .toList();
        List<Prediction> predictions = singleLabel
                ? ranked.subList(0, Math.min(TOP_PREDICTIONS, ranked.size()))
                : ranked.stream().filter(p -> p.score() >= threshold).toList();
        if (chosenIndex != null) {
            Prediction chosen = ranked.stream().filter(p -> p.index() == chosenIndex).findFirst().orElseThrow();
            return new TargetSelection<>(predictions, List.of(new ClassTarget(chosen)), null);
        }
        List<Target<float[]>> targets = new ArrayList<>();
        for (Prediction prediction : singleLabel ? ranked.subList(0, 1) : predictions) {
            if (prediction.score() >= threshold) {
                targets.add(new ClassTarget(prediction));
            }
        }
        return new TargetSelection<>(predictions, targets, targets.isEmpty() ? TargetSelection.belowThreshold(threshold) : null);
    }

    /**
     * The true class of a wrong classification ({@link Target#TRUE_LABEL}) and every missed label of the
     * model's ({@link Target#MISSED}), each scored as the model scores it on the image.
     */
    @Override
    public List<Target<float[]>> errorTargets(float[] scores, Evaluation evaluation, InputGeometry geometry) {
        List<Target<float[]>> targets = new ArrayList<>();
        for (PredictionMatch match : evaluation.matches()) {
            int index = match.trueLabel() == null ? -1 : labels.indexOf(match.trueLabel());
            if (match.type() == MatchType.WRONG && index >= 0 && index < scores.length) {
                targets.add(new ClassTarget(new Prediction(kind, label(index), index, scores[index], null), Target.TRUE_LABEL));
            }
        }
        for (MissedObject missed : evaluation.missed()) {
            if (missed.index() != null && missed.index() < scores.length) {
                int index = missed.index();
                targets.add(new ClassTarget(new Prediction(kind, label(index), index, scores[index], null), Target.MISSED));
            }
        }
        return targets;
    }

    /**
     * Resolves a user's class choice: a label name, or an index as number or digits.
     *
     * @throws IllegalArgumentException naming the labels when nothing matches
     */
    public int resolve(Object choice) {
        return LabelChoice.resolve(labels, choice);
    }

    private String label(int index) {
        return index < labels.size() ? labels.get(index) : "label_" + index;
    }
}
