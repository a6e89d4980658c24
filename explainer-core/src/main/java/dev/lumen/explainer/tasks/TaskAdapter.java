package dev.lumen.explainer.tasks;

import dev.lumen.catalogue.Task;
import dev.lumen.explainer.model.FloatTensor;
import dev.lumen.explainer.model.LoadedModel;
import dev.lumen.explainer.model.ModelInput;
import dev.lumen.explainer.targets.Target;
import dev.lumen.explainer.targets.TargetSelector;
import dev.lumen.render.SaliencyMap;
import java.util.List;
import java.util.Map;

/**
 * What one task family means for the explainer, in the spirit of DJL's {@code Translator}: how a
 * model run's raw outputs decode into predictions, which of them become targets, and what else a
 * target reports. Methods never ask which task a model has; they ask its adapter.
 *
 * @param <D> one image's decoded outputs (label scores, pixel scores, detector proposals)
 */
public interface TaskAdapter<D> {

    /** The adapter for {@code model}'s task: the one place the explainer switches on it. */
    static TaskAdapter<?> of(LoadedModel model) {
        Task task = model.descriptor().task();
        return switch (task) {
            case CLASSIFICATION, MULTILABEL -> new LabelAdapter(model, false);
            case ATTRIBUTES -> new LabelAdapter(model, true);
            case SEMANTIC_SEGMENTATION -> new SegmentationAdapter(model);
            case DETECTION, INSTANCE_SEGMENTATION -> new DetectionAdapter(model);
        };
    }

    /** The task this adapter serves. */
    Task task();

    /**
     * Each image's decoded outputs, from the raw outputs of one model run by role.
     *
     * @param input the run's input (every image of a run has its size), for outputs in input pixels
     */
    List<D> decode(Map<String, FloatTensor> outputs, ModelInput input);

    /**
     * The output roles gradient methods differentiate: the layer they explain at is the last spatial
     * activation all of them depend on. The model's explained role (logits, else scores) unless the
     * task says otherwise.
     */
    default List<String> gradientRoles(LoadedModel model) {
        return List.of(model.explainedRole());
    }

    /**
     * The fewest cells per side the discovered layer should have: 0 (the last spatial layer) unless
     * the task's targets are small parts of the image.
     */
    default int minLayerCells() {
        return 0;
    }

    /** Chooses the targets of one image. */
    TargetSelector<D> selector();

    /**
     * The pixels the model predicted for {@code target} (1 inside, 0 outside) in model-input space,
     * or null when the target has no region other than its box.
     */
    default SaliencyMap region(Target<D> target, ModelInput input) {
        return null;
    }

    /**
     * Whether the model judges objects rather than images (attribute models): then each object of an
     * image is explained on its own crop.
     */
    default boolean explainsObjects() {
        return false;
    }
}
