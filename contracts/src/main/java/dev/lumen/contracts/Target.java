package dev.lumen.contracts;

import com.fasterxml.jackson.annotation.JsonInclude;

import java.util.List;

/**
 * What one saliency map explains.
 *
 * @param kind {@code class}, {@code tag}, {@code attribute}, {@code segment} or {@code detection}
 * @param label human-readable label
 * @param index index of the label in the model's label list
 * @param score the model's score for it
 * @param box {@code [x1, y1, x2, y2]} in original-image pixels, when the target has a box
 * @param role why the target is explained: null for a prediction of the model; {@link #ROLE_MISSED} for a
 *     ground-truth object or tag the model did not predict; {@link #ROLE_TRUE_LABEL} for the true label of
 *     a wrong prediction, explained beside it
 * @param group the attribute group the label belongs to (e.g. {@code age}), for models whose
 *     attributes come in groups; null otherwise
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record Target(String kind, String label, int index, double score, List<Double> box, String role,
        String group) {

    /** Role of a ground-truth object or tag the model did not predict, explained as a target. */
    public static final String ROLE_MISSED = "missed";
    /** Role of the true label of a wrong prediction, explained beside the predicted one. */
    public static final String ROLE_TRUE_LABEL = "true-label";

    /** A prediction of the model (no role), outside any attribute group. */
    public Target(String kind, String label, int index, double score, List<Double> box) {
        this(kind, label, index, score, box, null, null);
    }
}
