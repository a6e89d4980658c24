package dev.lumen.explainer.tasks;

import dev.lumen.catalogue.Task;
import dev.lumen.explainer.model.FloatTensor;
import dev.lumen.explainer.model.ForwardResult;
import dev.lumen.explainer.model.LoadedModel;
import dev.lumen.explainer.model.ModelInput;
import dev.lumen.explainer.targets.ClassTargetSelector;
import dev.lumen.explainer.targets.TargetSelector;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

/** Classifiers, taggers and attribute models: one score in [0, 1] per label. */
final class LabelAdapter implements TaskAdapter<float[]> {

    private final LoadedModel model;
    private final ClassTargetSelector selector;
    private final boolean perObject;

    LabelAdapter(LoadedModel model, boolean perObject) {
        this.model = model;
        this.selector = new ClassTargetSelector(model.descriptor().task(), model.descriptor().labels(),
                model.descriptor().scoreThreshold());
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

    @Override
    public TargetSelector<float[]> selector() {
        return selector;
    }

    @Override
    public boolean explainsObjects() {
        return perObject;
    }
}
