package dev.lumen.explainer.targets;

import dev.lumen.explainer.model.InputGeometry;

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
}
