package dev.lumen.contracts;

import com.fasterxml.jackson.annotation.JsonInclude;

/**
 * Faithfulness of one saliency map (RISE protocol); lower deletion and higher insertion are better.
 *
 * @param deletionAuc area under the score curve while the most salient pixels are removed
 * @param insertionAuc area under the score curve while the most salient pixels are revealed
 * @param context the context test, when it ran (optional, added compatibly to v1)
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record Metrics(Double deletionAuc, Double insertionAuc, ContextScores context) {

    /** Faithfulness without a context test. */
    public Metrics(Double deletionAuc, Double insertionAuc) {
        this(deletionAuc, insertionAuc, null);
    }
}
