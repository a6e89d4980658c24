package dev.lumen.explainer.targets;

import dev.lumen.catalogue.Task;
import dev.lumen.explainer.Prediction;
import dev.lumen.explainer.model.AttributeGroup;
import dev.lumen.explainer.model.InputGeometry;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * Chooses which values of an attribute model's groups to explain: the top value of each softmax
 * group whatever its score (the head always answers), every value of a sigmoid group at or above
 * the threshold, or one value the user asked for. Predictions are reported group by group, each
 * group's values best first.
 */
public final class GroupTargetSelector implements TargetSelector<float[]> {

    private static final String KIND = Task.ATTRIBUTES.predictionKind();

    private final List<AttributeGroup> groups;
    private final double threshold;

    /** A selector for {@code groups} (in the descriptor's order) and the model's score threshold. */
    public GroupTargetSelector(List<AttributeGroup> groups, double threshold) {
        if (groups.isEmpty()) {
            throw new IllegalArgumentException("no attribute groups");
        }
        this.groups = List.copyOf(groups);
        this.threshold = threshold;
    }

    /**
     * Selects targets from one image's scores, the groups' values one after the other.
     *
     * @param geometry unused: attribute values have no box of their own
     */
    @Override
    public TargetSelection<float[]> select(float[] scores, Integer chosenIndex, InputGeometry geometry) {
        List<Prediction> predictions = new ArrayList<>();
        List<Target<float[]>> targets = new ArrayList<>();
        int offset = 0;
        for (AttributeGroup group : groups) {
            List<GroupTarget> values = new ArrayList<>();
            for (int i = 0; i < group.labels().size(); i++) {
                int index = offset + i;
                values.add(new GroupTarget(new Prediction(KIND, group.displayLabel(i), index, scores[index], null,
                        group.name()), group.output(), offset));
            }
            values.sort(Comparator.comparingDouble((GroupTarget t) -> t.prediction().score()).reversed());
            List<GroupTarget> predicted = group.decoder() == AttributeGroup.Decoder.SOFTMAX
                    ? values.subList(0, 1)
                    : values.stream().filter(t -> t.prediction().score() >= threshold).toList();
            predicted.forEach(t -> predictions.add(t.prediction()));
            if (chosenIndex == null) {
                targets.addAll(predicted);
            } else if (chosenIndex >= offset && chosenIndex < offset + group.labels().size()) {
                targets.add(values.stream().filter(t -> t.prediction().index() == chosenIndex).findFirst().orElseThrow());
            }
            offset += group.labels().size();
        }
        return new TargetSelection<>(predictions, targets,
                targets.isEmpty() ? TargetSelection.belowThreshold(threshold) : null);
    }
}
