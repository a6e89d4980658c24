package dev.lumen.results.insights;

import com.fasterxml.jackson.annotation.JsonInclude;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The context test of one class: how much its targets' scores fall when the object is blurred away and
 * when the context is, each with a 95% bootstrap interval, and what that says in words.
 *
 * @param n targets of the class with a context test
 * @param fromGroundTruth how many of them were tested against ground-truth boxes (the rest against their own box)
 * @param objectDrop mean of {@code score - objectRemovedScore}
 * @param contextDrop mean of {@code score - contextRemovedScore}
 * @param contextOverObject mean of {@code contextDrop - objectDrop} per target: above zero, the context carries
 *                          more of the score than the object
 * @param verdict {@value #RELIES_ON_CONTEXT}, {@value #RELIES_ON_OBJECT} or {@value #UNCLEAR}
 * @param sentence the finding in words, with the intervals and n
 * @param forwardPasses forward passes the test added for this class (two per target)
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record ContextTestSummary(int n, int fromGroundTruth, Bootstrap.Interval objectDrop, Bootstrap.Interval contextDrop,
                                 Bootstrap.Interval contextOverObject, String verdict, String sentence, int forwardPasses) {

    /** The score survives removing the object but falls when the context goes. */
    public static final String RELIES_ON_CONTEXT = "relies-on-context";
    /** The score falls when the object goes, more than when the context does. */
    public static final String RELIES_ON_OBJECT = "relies-on-object";
    /** The intervals do not tell the two apart. */
    public static final String UNCLEAR = "unclear";

    /** The summary of a class's tested targets; null when fewer than two were tested. */
    public static ContextTestSummary of(String label, List<ImageInsight> targets) {
        List<Double> object = new ArrayList<>();
        List<Double> context = new ArrayList<>();
        List<Double> difference = new ArrayList<>();
        int fromGroundTruth = 0;
        for (ImageInsight target : targets) {
            if (target.objectDrop() == null || target.contextDrop() == null) {
                continue;
            }
            object.add(target.objectDrop());
            context.add(target.contextDrop());
            difference.add(target.contextDrop() - target.objectDrop());
            fromGroundTruth += InsightsCalculator.GROUND_TRUTH.equals(target.contextReference()) ? 1 : 0;
        }
        if (object.size() < 2) {
            return null;
        }
        Bootstrap.Interval objectDrop = Bootstrap.mean(object, label + "/objectDrop");
        Bootstrap.Interval contextDrop = Bootstrap.mean(context, label + "/contextDrop");
        Bootstrap.Interval contextOverObject = Bootstrap.mean(difference, label + "/contextOverObject");
        String verdict = contextOverObject.low() > 0 && contextDrop.excludesZero() ? RELIES_ON_CONTEXT
                : contextOverObject.high() < 0 && objectDrop.excludesZero() ? RELIES_ON_OBJECT : UNCLEAR;
        return new ContextTestSummary(object.size(), fromGroundTruth, objectDrop, contextDrop, contextOverObject, verdict,
                sentence(label, objectDrop, contextDrop, contextOverObject, verdict), 2 * object.size());
    }

    private static String sentence(String label, Bootstrap.Interval object, Bootstrap.Interval context,
            Bootstrap.Interval difference, String verdict) {
        String measured = String.format(Locale.ROOT, "%s: score falls by %s when the context is blurred away (95%% CI %s)"
                        + " and by %s when the object is (95%% CI %s), n = %d", label, num(context.mean()), range(context),
                num(object.mean()), range(object), object.n());
        return switch (verdict) {
            case RELIES_ON_CONTEXT -> measured + ": the class relies on its context (difference " + num(difference.mean())
                    + ", 95% CI " + range(difference) + ").";
            case RELIES_ON_OBJECT -> measured + ": the class relies on the object (difference " + num(difference.mean())
                    + ", 95% CI " + range(difference) + ").";
            default -> measured + ": the test does not tell object and context apart (difference "
                    + num(difference.mean()) + ", 95% CI " + range(difference) + ").";
        };
    }

    private static String range(Bootstrap.Interval interval) {
        return num(interval.low()) + ".." + num(interval.high());
    }

    private static String num(double value) {
        return String.format(Locale.ROOT, "%.2f", value);
    }
}
