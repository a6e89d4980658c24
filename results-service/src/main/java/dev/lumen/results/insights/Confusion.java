package dev.lumen.results.insights;

/**
 * How often a run predicted one label where the ground truth has another (class-confusion detections,
 * wrong classes or tags whose true label is known).
 *
 * @param predicted what the model predicted
 * @param trueLabel what the ground truth has
 * @param count predictions so confused
 */
public record Confusion(String predicted, String trueLabel, int count) {
}
