package dev.lumen.explainer;

import dev.lumen.catalogue.MethodCatalogue;
import dev.lumen.catalogue.Parameters;
import dev.lumen.explainer.method.MaskedSaliency;
import dev.lumen.explainer.method.RandomMasks;
import dev.lumen.explainer.model.LoadedModel;
import dev.lumen.explainer.model.ModelInput;
import dev.lumen.explainer.targets.Target;
import dev.lumen.explainer.targets.TargetSelection;
import dev.lumen.explainer.tasks.TaskAdapter;
import java.awt.image.BufferedImage;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Runs the perturbation family on one image: RISE for label-scoring models (asked for, or as the
 * fallback when a gradient method cannot run), D-RISE for detectors and instance segmenters. Both
 * are {@link MaskedSaliency}: a masked image weighs each target's map by the target's score in the
 * masked image's decoded outputs, whatever the task.
 */
final class PerturbationRunner {

    private final LoadedModel model;
    private final TargetMaps targetMaps;

    PerturbationRunner(LoadedModel model, TargetMaps targetMaps) {
        this.model = model;
        this.targetMaps = targetMaps;
    }

    /**
     * Explains one image.
     *
     * @param seed seed of the mask sequence
     * @param note a note to report (e.g. why this method replaced the one asked for), or null
     */
    <D> ExplainResult explain(TaskAdapter<D> adapter, BufferedImage image, Parameters parameters, Integer chosenLabel,
            long seed, String note) {
        long start = System.nanoTime();
        List<String> notes = new ArrayList<>();
        if (note != null) {
            notes.add(note);
        }
        ModelInput input = model.preprocessor().prepare(image);
        TargetSelection<D> selection = adapter.selector().select(
                adapter.decode(model.forward(List.of(input), null).outputs(), input).get(0), chosenLabel, input.geometry());
        List<Target<D>> targets = selection.targets();
        if (targets.isEmpty()) {
            return new ExplainResult(selection.predictions(), List.of(), null, selection.skippedReason(),
                    Explainer.elapsedMs(start), 1, notes);
        }
        MaskedSaliency.Settings settings = settings(parameters, seed);
        MaskedSaliency.Result result = MaskedSaliency.explain(model, input, targets.size(), batch -> {
            List<D> perImage = adapter.decode(batch, input);
            double[][] weights = new double[perImage.size()][targets.size()];
            for (int i = 0; i < perImage.size(); i++) {
                for (int t = 0; t < targets.size(); t++) {
                    weights[i][t] = targets.get(t).score(perImage.get(i));
                }
            }
            return weights;
        }, settings);
        notes.add(samplingNote(parameters.method().id(), result, settings));
        List<TargetExplanation> explanations = new ArrayList<>();
        long forwardPasses = 1 + result.masksUsed();
        for (int t = 0; t < targets.size(); t++) {
            TargetMaps.Finished finished = targetMaps.finish(adapter, targets.get(t), result.maps().get(t).normalized(),
                    input, parameters);
            explanations.add(finished.explanation());
            forwardPasses += finished.forwardPasses();
        }
        return new ExplainResult(selection.predictions(), explanations, null, null, Explainer.elapsedMs(start),
                forwardPasses, notes);
    }

    private static MaskedSaliency.Settings settings(Parameters parameters, long seed) {
        int masks = parameters.integer(MethodCatalogue.MASKS);
        int grid = parameters.integer(MethodCatalogue.GRID);
        double p = parameters.number(MethodCatalogue.P);
        String sampling = parameters.string(MethodCatalogue.SAMPLING);
        RandomMasks.Design design = sampling == null ? RandomMasks.Design.best(grid, p, masks)
                : RandomMasks.Design.valueOf(sampling.toUpperCase(Locale.ROOT));
        return new MaskedSaliency.Settings(masks, grid, p, seed, parameters.bool(MethodCatalogue.EARLY_STOP),
                parameters.number(MethodCatalogue.STOP_CORRELATION), parameters.integer(MethodCatalogue.BATCH), design);
    }

    private static String samplingNote(String method, MaskedSaliency.Result result, MaskedSaliency.Settings settings) {
        return result.stoppedEarly()
                ? String.format(Locale.ROOT, "%s: maps converged after %d of %d masks (correlation %.4f), batch %d",
                        method, result.masksUsed(), settings.masks(), result.correlation(), result.batch())
                : String.format(Locale.ROOT, "%s: %d masks, batch %d", method, result.masksUsed(), result.batch());
    }
}
