package dev.lumen.contracts;

import com.fasterxml.jackson.annotation.JsonInclude;

/**
 * One saliency map and what it explains.
 *
 * @param target the explained score
 * @param saliency the map itself
 * @param metrics faithfulness, when computed
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record Explanation(Target target, EncodedSaliencyMap saliency, Metrics metrics) {
}
