package dev.lumen.results.insights;

import com.fasterxml.jackson.annotation.JsonInclude;

import java.util.Map;

/**
 * One class's predictions typed against ground truth, over a run's evaluated images.
 *
 * @param label the class (or tag): the predicted label for a prediction, the true label for a missed object
 * @param counts per error type of {@link ErrorInsights#types()}, the number of predictions (or, for
 *               {@code missed}, of missed objects) of this class
 * @param predictions evaluated predictions of this class (every type except {@code missed})
 * @param precision right predictions (true positives, correct) over {@code predictions}; absent without predictions
 * @param recall right predictions over right predictions plus missed objects of this class; absent without either
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record ClassErrors(String label, Map<String, Integer> counts, int predictions, Double precision, Double recall) {
}
