package dev.lumen.results.insights;

import com.fasterxml.jackson.annotation.JsonInclude;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * One tag's slice across a series of runs over the same images (e.g. models trained with 0% to 100% more
 * caged images, each run on the same held-out set): per run and class the slice's and the rest's mean
 * score and in-box energy, with each difference's 95% bootstrap interval, in the runs' order.
 *
 * @param tag the slice
 * @param runs the runs in the series' order
 * @param points one per run and class that has the tag's images
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record RunSeries(String tag, List<Run> runs, List<Point> points) {

    /**
     * A run of the series.
     *
     * @param runId the run
     * @param name its name (what the plot's axis shows)
     * @param method its method
     */
    public record Run(String runId, String name, String method) {
    }

    /**
     * One class in one run.
     *
     * @param position the run's position in the series (0 first)
     * @param runId the run
     * @param label the class
     * @param n targets of the class in the slice
     * @param rest targets of the class in the other images
     * @param score the slice's mean score against the rest's
     * @param inBoxEnergy the slice's mean in-box energy against the rest's
     */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record Point(int position, String runId, String label, int n, int rest, Bootstrap.Difference score,
                        Bootstrap.Difference inBoxEnergy) {
    }

    /** The series of {@code tag} over the runs' insights, in order. */
    public static RunSeries of(String tag, List<Run> runs, List<InsightsView> insights) {
        List<Point> points = new ArrayList<>();
        for (int r = 0; r < runs.size(); r++) {
            List<SliceInsights> slices = insights.get(r).slices() == null ? List.of() : insights.get(r).slices();
            for (SliceInsights slice : slices) {
                if (slice.tag().equals(tag)) {
                    points.add(new Point(r, runs.get(r).runId(), slice.label(), slice.n(), slice.rest(), slice.score(),
                            slice.inBoxEnergy()));
                }
            }
        }
        return new RunSeries(tag, List.copyOf(runs), points);
    }

    /** The series as CSV, one line per run and class (the export of the plot's numbers). */
    public String csv() {
        StringBuilder csv = new StringBuilder("position,run_id,run_name,label,n,rest,score_slice,score_rest,"
                + "score_difference,score_low,score_high,in_box_energy_slice,in_box_energy_rest,in_box_energy_difference,"
                + "in_box_energy_low,in_box_energy_high\n");
        for (Point p : points) {
            csv.append(p.position()).append(',').append(p.runId()).append(',').append(quote(runs.get(p.position()).name()))
                    .append(',').append(quote(p.label())).append(',').append(p.n()).append(',').append(p.rest())
                    .append(differences(p.score())).append(differences(p.inBoxEnergy())).append('\n');
        }
        return csv.toString();
    }

    private static String differences(Bootstrap.Difference d) {
        return d == null ? ",,,,," : String.format(Locale.ROOT, ",%s,%s,%s,%s,%s", d.slice(), d.rest(), d.difference(),
                d.low(), d.high());
    }

    private static String quote(String value) {
        String text = value == null ? "" : value;
        return text.contains(",") || text.contains("\"") ? "\"" + text.replace("\"", "\"\"") + "\"" : text;
    }
}
