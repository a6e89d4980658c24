package dev.lumen.explainer.targets;

import dev.lumen.explainer.evaluation.Evaluation;
import dev.lumen.explainer.model.InputGeometry;
import java.util.List;

/**
 * Chooses which predictions of one image to explain: the top class, every tag above threshold,
 * every segment, every detection, or the one label a user asked for. Pluggable per task family.
 *
 * @param <D> one image's decoded outputs
 */
public interface TargetSelector<D> {

    /**
     * @param decoded the image's decoded outputs
     * @param chosenLabel a label index the user asked for ({@code class} parameter), or null
     * @param geometry where the original image lies in the model input (for boxes)
     */
    TargetSelection<D> select(D decoded, Integer chosenLabel, InputGeometry geometry);

    /**
     * The errors of one image to explain beside its predictions (decision 0071): missed objects or
     * tags ({@link Target#MISSED}), the true class of a wrong classification ({@link Target#TRUE_LABEL}).
     * None by default.
     *
     * @param decoded the unmasked image's decoded outputs
     * @param evaluation the image's predictions matched against its ground truth
     * @param geometry where the original image lies in the model input (for boxes)
     */
    default List<Target<D>> errorTargets(D decoded, Evaluation evaluation, InputGeometry geometry) {
        return List.of();
    }
}
