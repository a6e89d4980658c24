package dev.lumen.explainer;

import dev.lumen.explainer.evaluation.Evaluation;
import dev.lumen.explainer.evaluation.Evaluations;
import dev.lumen.explainer.model.InputGeometry;
import dev.lumen.explainer.targets.Target;
import dev.lumen.explainer.targets.TargetSelection;
import dev.lumen.explainer.tasks.TaskAdapter;
import java.util.ArrayList;
import java.util.List;

/**
 * The targets of one image, whichever method runs: the task selector's choice among the
 * predictions; when the image has ground truth, the predictions matched against it and, unless
 * turned off or a label was chosen, its errors (missed objects and tags, the true class of a wrong
 * classification) as further targets after the predictions' (decision 0071).
 *
 * @param selection the predictions and every target to explain
 * @param evaluation the predictions matched against the ground truth, or null
 * @param <D> one image's decoded outputs
 */
record ImageTargets<D>(TargetSelection<D> selection, Evaluation evaluation) {

    /**
     * @param labels the model's labels
     * @param chosenLabel a label the user asked for, or null; with one, errors are matched but not explained
     *     (the run asks about that label)
     * @param explainErrors whether the errors become targets
     */
    static <D> ImageTargets<D> select(TaskAdapter<D> adapter, List<String> labels, D decoded, Integer chosenLabel,
            InputGeometry geometry, List<ImageObject> groundTruth, boolean explainErrors) {
        TargetSelection<D> selection = adapter.selector().select(decoded, chosenLabel, geometry);
        Evaluation evaluation = Evaluations.of(adapter.task(), labels, selection.predictions(), groundTruth);
        if (evaluation == null || !explainErrors || chosenLabel != null) {
            return new ImageTargets<>(selection, evaluation);
        }
        List<Target<D>> errors = adapter.selector().errorTargets(decoded, evaluation, geometry);
        if (errors.isEmpty()) {
            return new ImageTargets<>(selection, evaluation);
        }
        List<Target<D>> targets = new ArrayList<>(selection.targets());
        targets.addAll(errors);
        return new ImageTargets<>(new TargetSelection<>(selection.predictions(), targets, null), evaluation);
    }
}
