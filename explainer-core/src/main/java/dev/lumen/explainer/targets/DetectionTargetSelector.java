package dev.lumen.explainer.targets;

import dev.lumen.catalogue.Task;
import dev.lumen.explainer.Prediction;
import dev.lumen.explainer.detection.Boxes;
import dev.lumen.explainer.detection.Detection;
import dev.lumen.explainer.detection.Proposals;
import dev.lumen.explainer.evaluation.Evaluation;
import dev.lumen.explainer.evaluation.MissedObject;
import dev.lumen.explainer.model.InputGeometry;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * Chooses which detections to explain: the proposals that survive non-maximum suppression at the
 * model's threshold, best first; with a chosen label, that label's detections, or when it has none
 * its best proposal whatever the score ("why not this class?").
 */
public final class DetectionTargetSelector implements TargetSelector<Proposals> {

    private static final double NMS_IOU = 0.5;
    private static final int MAX_PREDICTIONS = 100;
    /** Each target keeps a map in memory; more objects than this in one image are reported, not explained. */
    public static final int MAX_TARGETS = 20;
    private static final String KIND = Task.DETECTION.predictionKind();

    private final List<String> labels;
    private final double threshold;

    /** A selector for a detector's labels and score threshold. */
    public DetectionTargetSelector(List<String> labels, double threshold) {
        this.labels = List.copyOf(labels);
        this.threshold = threshold;
    }

    @Override
    public TargetSelection<Proposals> select(Proposals decoded, Integer chosenLabel, InputGeometry geometry) {
        List<Detection> proposals = decoded.all();
        List<Detection> kept = Boxes.nms(proposals, threshold, NMS_IOU);
        List<Prediction> predictions = kept.stream().limit(MAX_PREDICTIONS).map(d -> prediction(d, geometry)).toList();
        List<Target<Proposals>> targets = new ArrayList<>();
        if (chosenLabel != null) {
            int label = chosenLabel;
            kept.stream().filter(d -> d.label() == label).limit(MAX_TARGETS)
                    .forEach(d -> targets.add(new DetectionTarget(prediction(d, geometry), d)));
            if (targets.isEmpty()) {
                proposals.stream().filter(d -> d.label() == label).max(Comparator.comparingDouble(Detection::score))
                        .ifPresent(d -> targets.add(new DetectionTarget(prediction(d, geometry), d)));
            }
        } else {
            kept.stream().limit(MAX_TARGETS).forEach(d -> targets.add(new DetectionTarget(prediction(d, geometry), d)));
        }
        return new TargetSelection<>(predictions, targets, targets.isEmpty() ? TargetSelection.belowThreshold(threshold)
                : null);
    }

    /** Each missed object of a label the model has, as a {@link MissedObjectTarget}; at most {@value #MAX_TARGETS}. */
    @Override
    public List<Target<Proposals>> errorTargets(Proposals decoded, Evaluation evaluation, InputGeometry geometry) {
        List<Target<Proposals>> targets = new ArrayList<>();
        for (MissedObject missed : evaluation.missed()) {
            if (missed.index() != null && missed.box() != null && targets.size() < MAX_TARGETS) {
                targets.add(MissedObjectTarget.of(missed, Task.DETECTION, labels.size(), decoded, geometry));
            }
        }
        return targets;
    }

    private Prediction prediction(Detection detection, InputGeometry geometry) {
        return new Prediction(KIND, labels.get(detection.label()), detection.label(), detection.score(),
                Boxes.toOriginal(detection.box(), geometry));
    }
}
