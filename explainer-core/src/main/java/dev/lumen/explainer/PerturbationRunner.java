package dev.lumen.explainer;

import dev.lumen.catalogue.MethodCatalogue;
import dev.lumen.catalogue.Parameters;
import dev.lumen.explainer.method.MaskedSaliency;
import dev.lumen.explainer.model.LoadedModel;
import dev.lumen.explainer.model.ModelInput;
import dev.lumen.explainer.targets.Target;
import dev.lumen.explainer.targets.TargetSelection;
import dev.lumen.explainer.tasks.TaskAdapter;
import dev.lumen.render.SaliencyMap;
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
     * @param previews told of the maps at every early-stopping check, or null
     * @param groundTruth objects known to be in the image, for the context test
     */
    <D> ExplainResult explain(TaskAdapter<D> adapter, BufferedImage image, Parameters parameters, Integer chosenLabel,
            long seed, String note, PreviewListener previews, List<ImageObject> groundTruth) {
        long start = System.nanoTime();
        List<String> notes = new ArrayList<>();
        if (note != null) {
            notes.add(note);
        }
        ModelInput input = model.preprocessor().prepare(image);
        MaskedTargets<D> masked = MaskedTargets.select(model, adapter, input, chosenLabel, groundTruth,
                parameters.bool(MethodCatalogue.EXPLAIN_ERRORS));
        TargetSelection<D> selection = masked.selection();
        List<Target<D>> targets = selection.targets();
        if (targets.isEmpty()) {
            return new ExplainResult(selection.predictions(), List.of(), null, selection.skippedReason(),
                    Explainer.elapsedMs(start), 1, notes).withEvaluation(masked.evaluation());
        }
        MaskedSaliency.Settings settings = MaskedTargets.settings(parameters, seed);
        PreviewRelay relay = previews == null ? null : new PreviewRelay(previews, targets, input, settings.masks());
        MaskedSaliency.Result result = MaskedSaliency.explain(model, input, targets.size(), masked.scorer(), settings,
                relay == null ? null : relay::checked);
        notes.add(samplingNote(parameters.method().id(), result, settings));
        if (relay != null && relay.failure() != null) {
            notes.add("previews stopped: " + relay.failure());
        }
        List<TargetExplanation> explanations = new ArrayList<>();
        long forwardPasses = 1 + result.masksUsed();
        for (int t = 0; t < targets.size(); t++) {
            TargetMaps.Finished finished = targetMaps.finish(adapter, targets.get(t), result.maps().get(t).normalized(),
                    input, parameters, groundTruth);
            explanations.add(finished.explanation());
            forwardPasses += finished.forwardPasses();
        }
        return new ExplainResult(selection.predictions(), explanations, null, null, Explainer.elapsedMs(start),
                forwardPasses, notes, result.masksUsed(), result.batch(), masked.evaluation());
    }

    /**
     * Maps of {@code targets} alone on a prepared image, at model-input resolution, sampled as
     * {@code parameters} (a perturbation method's) say: for targets a gradient method cannot seed.
     */
    <D> MaskedSaliency.Result sample(TaskAdapter<D> adapter, ModelInput input, List<Target<D>> targets,
            Parameters parameters, long seed) {
        return MaskedSaliency.explain(model, input, targets.size(), MaskedTargets.scorer(adapter, input, targets),
                MaskedTargets.settings(parameters, seed), null);
    }

    /** The note of a sampling run. */
    static String samplingNote(String method, MaskedSaliency.Result result, Parameters parameters, long seed) {
        return samplingNote(method, result, MaskedTargets.settings(parameters, seed));
    }

    /**
     * Turns early-stopping checks into previews: each target's map so far, aligned to the original
     * image as the final map will be. A listener that throws is not called again, so that a
     * preview never costs the image its explanation.
     */
    private static final class PreviewRelay {

        private final PreviewListener listener;
        private final List<? extends Target<?>> targets;
        private final ModelInput input;
        private final int budget;
        private String failure;

        PreviewRelay(PreviewListener listener, List<? extends Target<?>> targets, ModelInput input, int budget) {
            this.listener = listener;
            this.targets = targets;
            this.input = input;
            this.budget = budget;
        }

        void checked(MaskedSaliency.Checkpoint checkpoint) {
            if (failure != null) {
                return;
            }
            try {
                for (int t = 0; t < targets.size(); t++) {
                    SaliencyMap inputMap = new SaliencyMap(checkpoint.maps().get(t), input.width(), input.height());
                    SaliencyMap aligned = input.geometry().toOriginal(inputMap.normalized()).normalized();
                    listener.preview(new PreviewListener.Preview(t, targets.get(t).prediction(), aligned,
                            checkpoint.masks(), budget, checkpoint.predictedCorrelation()));
                }
            } catch (RuntimeException e) {
                failure = e.toString();
            }
        }

        String failure() {
            return failure;
        }
    }

    private static String samplingNote(String method, MaskedSaliency.Result result, MaskedSaliency.Settings settings) {
        return result.stoppedEarly()
                ? String.format(Locale.ROOT, "%s: maps converged after %d of %d masks (correlation %.4f), batch %d",
                        method, result.masksUsed(), settings.masks(), result.correlation(), result.batch())
                : String.format(Locale.ROOT, "%s: %d masks, batch %d", method, result.masksUsed(), result.batch());
    }
}
