package dev.lumen.explainer;

import dev.lumen.catalogue.MethodCatalogue;
import dev.lumen.catalogue.Parameters;
import dev.lumen.explainer.evaluation.Evaluation;
import dev.lumen.explainer.method.MaskedSaliency;
import dev.lumen.explainer.method.RandomMasks;
import dev.lumen.explainer.model.LoadedModel;
import dev.lumen.explainer.model.ModelInput;
import dev.lumen.explainer.targets.Target;
import dev.lumen.explainer.targets.TargetSelection;
import dev.lumen.explainer.tasks.TaskAdapter;
import java.awt.image.BufferedImage;
import java.util.List;
import java.util.Locale;

/**
 * The targets a perturbation run (RISE, D-RISE) explains on one image, chosen from the unmasked
 * image's decoded outputs, and the scorer that weighs masked images for them: each target's score
 * in the masked image's decoded outputs. One place, so that benches measure what runs.
 *
 * @param <D> one image's decoded outputs
 */
public final class MaskedTargets<D> {

    private final ModelInput input;
    private final TargetSelection<D> selection;
    private final MaskedSaliency.Scorer scorer;

    private final Evaluation evaluation;

    private MaskedTargets(TaskAdapter<D> adapter, ModelInput input, ImageTargets<D> selected) {
        this.input = input;
        this.selection = selected.selection();
        this.evaluation = selected.evaluation();
        this.scorer = scorer(adapter, input, selection.targets());
    }

    /** Weighs masked copies of {@code input} by each of {@code targets}' scores. */
    static <D> MaskedSaliency.Scorer scorer(TaskAdapter<D> adapter, ModelInput input, List<Target<D>> targets) {
        return batch -> {
            List<D> perImage = adapter.decode(batch, input);
            double[][] weights = new double[perImage.size()][targets.size()];
            for (int i = 0; i < perImage.size(); i++) {
                for (int t = 0; t < targets.size(); t++) {
                    weights[i][t] = targets.get(t).score(perImage.get(i));
                }
            }
            return weights;
        };
    }

    /**
     * The targets of a prepared image; {@code chosenLabel} null lets the task's selector choose.
     *
     * @param groundTruth the image's ground-truth objects (its errors become targets when {@code explainErrors})
     */
    static <D> MaskedTargets<D> select(LoadedModel model, TaskAdapter<D> adapter, ModelInput input, Integer chosenLabel,
            List<ImageObject> groundTruth, boolean explainErrors) {
        D decoded = adapter.decode(model.forward(List.of(input), null).outputs(), input).get(0);
        return new MaskedTargets<>(adapter, input, ImageTargets.select(adapter, model.descriptor().labels(), decoded,
                chosenLabel, input.geometry(), groundTruth, explainErrors));
    }

    /** The targets {@link Explainer} would explain on {@code image} with no label chosen nor ground truth. */
    public static MaskedTargets<?> select(LoadedModel model, BufferedImage image) {
        return select(model, TaskAdapter.of(model), model.preprocessor().prepare(image), null, List.of(), false);
    }

    /** The sampling settings of a RISE or D-RISE run with checked {@code parameters}. */
    public static MaskedSaliency.Settings settings(Parameters parameters, long seed) {
        int masks = parameters.integer(MethodCatalogue.MASKS);
        int grid = parameters.integer(MethodCatalogue.GRID);
        double p = parameters.number(MethodCatalogue.P);
        String sampling = parameters.string(MethodCatalogue.SAMPLING);
        RandomMasks.Design design = sampling == null ? RandomMasks.Design.best(grid, p, masks)
                : RandomMasks.Design.valueOf(sampling.toUpperCase(Locale.ROOT));
        return new MaskedSaliency.Settings(masks, grid, p, seed, parameters.bool(MethodCatalogue.EARLY_STOP),
                parameters.number(MethodCatalogue.STOP_CORRELATION), parameters.integer(MethodCatalogue.BATCH), design);
    }

    /** The prepared image. */
    public ModelInput input() {
        return input;
    }

    /** The predictions and the targets chosen from them. */
    public TargetSelection<D> selection() {
        return selection;
    }

    /** The predictions matched against the image's ground truth, or null. */
    public Evaluation evaluation() {
        return evaluation;
    }

    /** Weights of masked images, one per target in {@link TargetSelection#targets()} order. */
    public MaskedSaliency.Scorer scorer() {
        return scorer;
    }
}
