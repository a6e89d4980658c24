package dev.lumen.explainer.tasks;

import dev.lumen.catalogue.Task;
import dev.lumen.explainer.model.FloatTensor;
import dev.lumen.explainer.model.ForwardResult;
import dev.lumen.explainer.model.LoadedModel;
import dev.lumen.explainer.model.ModelInput;
import dev.lumen.explainer.model.AttributeGroup;
import dev.lumen.explainer.targets.ClassTargetSelector;
import dev.lumen.explainer.targets.GroupTargetSelector;
import dev.lumen.explainer.targets.TargetSelector;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

/**
 * Classifiers, taggers and attribute models: one score in [0, 1] per label (for attribute groups,
 * the groups' values one after the other).
 */
final class LabelAdapter implements TaskAdapter<float[]> {

    private final LoadedModel model;
    private final TargetSelector<float[]> selector;
    private final boolean perObject;

    LabelAdapter(LoadedModel model, boolean perObject) {
        this.model = model;
        this.selector = model.descriptor().groups().isEmpty()
                ? new ClassTargetSelector(model.descriptor().task(), model.descriptor().labels(),
                        model.descriptor().scoreThreshold())
                : new GroupTargetSelector(model.descriptor().groups(), model.descriptor().scoreThreshold());
        this.perObject = perObject;
    }

    @Override
    public Task task() {
        return model.descriptor().task();
    }

    @Override
    public List<float[]> decode(Map<String, FloatTensor> outputs, ModelInput input) {
        return Arrays.asList(model.labelScores(new ForwardResult(outputs, null)));
    }

    /** A grouped model's heads share the layer gradients are taken at: the last one all of them depend on. */
    @Override
    public List<String> gradientRoles(LoadedModel model) {
        if (model.descriptor().groups().isEmpty()) {
            return TaskAdapter.super.gradientRoles(model);
        }
        return model.descriptor().groups().stream().map(AttributeGroup::output).distinct().toList();
    }

    @Override
    public TargetSelector<float[]> selector() {
        return selector;
    }

    @Override
    public boolean explainsObjects() {
        return perObject;
    }
}
