package dev.lumen.explainer;

import dev.lumen.catalogue.MethodCatalogue;
import dev.lumen.catalogue.Parameters;
import dev.lumen.explainer.method.MaskedSaliency;
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
        MaskedTargets<D> masked = MaskedTargets.select(model, adapter, input, chosenLabel);
        TargetSelection<D> selection = masked.selection();
        List<Target<D>> targets = selection.targets();
        if (targets.isEmpty()) {
            return new ExplainResult(selection.predictions(), List.of(), null, selection.skippedReason(),
                    Explainer.elapsedMs(start), 1, notes);
        }
        MaskedSaliency.Settings settings = MaskedTargets.settings(parameters, seed);
        MaskedSaliency.Result result = MaskedSaliency.explain(model, input, targets.size(), masked.scorer(), settings);
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

    private static String samplingNote(String method, MaskedSaliency.Result result, MaskedSaliency.Settings settings) {
        return result.stoppedEarly()
                ? String.format(Locale.ROOT, "%s: maps converged after %d of %d masks (correlation %.4f), batch %d",
                        method, result.masksUsed(), settings.masks(), result.correlation(), result.batch())
                : String.format(Locale.ROOT, "%s: %d masks, batch %d", method, result.masksUsed(), result.batch());
    }
}
