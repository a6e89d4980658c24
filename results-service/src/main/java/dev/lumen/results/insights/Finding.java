package dev.lumen.results.insights;

import com.fasterxml.jackson.annotation.JsonInclude;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;

/**
 * One finding at the top of a run's insights: a plain sentence with its effect size, 95% interval and n.
 * Only effects whose interval excludes zero are findings; the largest effect comes first.
 *
 * @param kind {@value #SLICE} (a tag's images against the rest) or {@value #CONTEXT} (the context test)
 * @param label the class
 * @param tag the slice's tag, for slice findings
 * @param measure what differs: {@code score}, {@code inBoxEnergy}, {@code contextDrop}, {@code objectDrop}, or
 *                {@code contextOverObject} for the context test
 * @param effect the difference (slice minus rest; context drop minus object drop)
 * @param low the interval's lower end
 * @param high the interval's upper end
 * @param n the targets behind it: {@code "40 / 160"} (slice / rest) or {@code "40"}
 * @param sentence the finding in words
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record Finding(String kind, String label, String tag, String measure, double effect, double low, double high,
                      String n, String sentence) {

    /** A tag's images differ from the rest. */
    public static final String SLICE = "slice";
    /** A class relies on its context. */
    public static final String CONTEXT = "context";

    /** The findings of a run's classes and slices, largest effect first (then class, tag, measure). */
    static List<Finding> of(List<ClassInsights> classes, List<SliceInsights> slices) {
        List<Finding> findings = new ArrayList<>();
        for (ClassInsights c : classes) {
            ContextTestSummary test = c.contextTest();
            if (test != null && ContextTestSummary.RELIES_ON_CONTEXT.equals(test.verdict())) {
                Bootstrap.Interval d = test.contextOverObject();
                findings.add(new Finding(CONTEXT, c.label(), null, "contextOverObject", d.mean(), d.low(), d.high(),
                        String.valueOf(d.n()), test.sentence()));
            }
        }
        for (SliceInsights slice : slices) {
            for (SliceInsights.Measure measure : SliceInsights.MEASURES) {
                Bootstrap.Difference d = measure.of().apply(slice);
                if (d != null && d.excludesZero()) {
                    findings.add(new Finding(SLICE, slice.label(), slice.tag(), measure.id(), d.difference(), d.low(),
                            d.high(), d.nSlice() + " / " + d.nRest(), String.format(Locale.ROOT,
                            "%s: %s %.2f in images tagged %s vs %.2f in the rest (difference %+.2f, 95%% CI %.2f..%.2f,"
                                    + " n = %d / %d)", slice.label(), measure.words(), d.slice(), slice.tag(), d.rest(),
                            d.difference(), d.low(), d.high(), d.nSlice(), d.nRest())));
                }
            }
        }
        findings.sort(Comparator.comparingDouble((Finding f) -> -Math.abs(f.effect())).thenComparing(Finding::label)
                .thenComparing(f -> f.tag() == null ? "" : f.tag()).thenComparing(Finding::measure));
        return findings;
    }
}
