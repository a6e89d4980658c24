package dev.lumen.explainer;

import dev.lumen.catalogue.MethodCatalogue;
import dev.lumen.catalogue.Parameters;
import dev.lumen.explainer.metric.DeletionInsertion;
import dev.lumen.explainer.metric.Faithfulness;
import dev.lumen.explainer.model.LoadedModel;
import dev.lumen.explainer.model.ModelInput;
import dev.lumen.explainer.targets.Target;
import dev.lumen.explainer.tasks.TaskAdapter;
import dev.lumen.render.SaliencyMap;
import java.util.List;

/**
 * Turns a target's map in model-input space into its reported explanation, whichever method made
 * it: the faithfulness metrics (the target's score on deleted and inserted copies of the input),
 * the map and the target's region aligned to the original image.
 */
final class TargetMaps {

    /** How many perturbed images the faithfulness metrics send per model run. */
    private static final int METRIC_BATCH = 32;

    /**
     * One target's explanation and the forward passes its metrics cost.
     *
     * @param explanation what is reported
     * @param forwardPasses images the metrics ran through the model
     */
    record Finished(TargetExplanation explanation, long forwardPasses) {
    }

    private final LoadedModel model;

    TargetMaps(LoadedModel model) {
        this.model = model;
    }

    /** The explanation of {@code target} from its map at the model input's resolution. */
    <D> Finished finish(TaskAdapter<D> adapter, Target<D> target, SaliencyMap inputMap, ModelInput input,
            Parameters parameters) {
        Double deletion = null;
        Double insertion = null;
        long forwardPasses = 0;
        if (parameters.bool(MethodCatalogue.METRICS)) {
            DeletionInsertion metric = new DeletionInsertion(parameters.integer(MethodCatalogue.METRIC_STEPS),
                    Math.min(METRIC_BATCH, model.maxBatch()));
            Faithfulness faithfulness = metric.evaluate(input, inputMap, inputs -> scores(adapter, target, inputs));
            deletion = faithfulness.deletionAuc();
            insertion = faithfulness.insertionAuc();
            forwardPasses = faithfulness.forwardPasses();
        }
        SaliencyMap aligned = input.geometry().toOriginal(inputMap).normalized();
        SaliencyMap region = adapter.region(target, input);
        return new Finished(new TargetExplanation(target.prediction(), aligned, deletion, insertion,
                region == null ? null : input.geometry().toOriginal(region)), forwardPasses);
    }

    private <D> double[] scores(TaskAdapter<D> adapter, Target<D> target, List<ModelInput> inputs) {
        return adapter.decode(model.forward(inputs, null).outputs(), inputs.get(0)).stream().mapToDouble(target::score).toArray();
    }
}
