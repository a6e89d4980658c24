package dev.lumen.results.insights;

import com.fasterxml.jackson.annotation.JsonInclude;

import java.util.List;
import java.util.Map;

/**
 * A run's predictions typed against ground truth (decision 0075): counted from the worker's
 * {@code evaluation} of each image, present once an image has one.
 *
 * @param evaluated images with an evaluation
 * @param types the error types of the run's task in display order ({@link ErrorTypes#DETECTION} or
 *              {@link ErrorTypes#LABEL}): the columns of {@code classes}
 * @param totals per type, predictions (missed objects for {@code missed}) over every class
 * @param images per type, images with at least one prediction (missed object) of it: what the results
 *               listing's {@code error} filter returns
 * @param classes per class, by label
 * @param confusions the most frequent (predicted, true label) pairs, most frequent first, at most {@value #TOP_CONFUSIONS}
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record ErrorInsights(int evaluated, List<String> types, Map<String, Integer> totals, Map<String, Integer> images,
                            List<ClassErrors> classes, List<Confusion> confusions) {

    /** Length of the confusion list. */
    public static final int TOP_CONFUSIONS = 10;
}
