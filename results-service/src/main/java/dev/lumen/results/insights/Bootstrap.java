package dev.lumen.results.insights;

import com.fasterxml.jackson.annotation.JsonInclude;

import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;

/**
 * Percentile bootstrap intervals of a mean. The values are sorted and the resampling is seeded by what
 * is measured, so an interval depends only on the values, never on the order in which results arrived:
 * incremental insights stay equal to a recomputation.
 */
public final class Bootstrap {

    /** Resamples per interval. */
    public static final int RESAMPLES = 2000;
    /** Coverage of the intervals. */
    public static final double LEVEL = 0.95;

    private Bootstrap() {
    }

    /**
     * A mean with its 95% percentile-bootstrap interval.
     *
     * @param mean the sample mean
     * @param low the interval's lower end
     * @param high the interval's upper end
     * @param n the number of values
     */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record Interval(double mean, double low, double high, int n) {

        /** Whether the interval lies entirely above or entirely below zero. */
        public boolean excludesZero() {
            return low > 0 || high < 0;
        }
    }

    /**
     * The mean of {@code values} with its 95% interval; null for fewer than two values.
     *
     * @param key what is measured (e.g. {@code "cat/contextDrop"}), seeding the resampling
     */
    public static Interval mean(List<Double> values, String key) {
        if (values.size() < 2) {
            return null;
        }
        double[] sorted = values.stream().mapToDouble(Double::doubleValue).sorted().toArray();
        SplittableRandom random = new SplittableRandom(key.hashCode() * 31L + sorted.length);
        double[] means = new double[RESAMPLES];
        for (int r = 0; r < RESAMPLES; r++) {
            double sum = 0;
            for (int i = 0; i < sorted.length; i++) {
                sum += sorted[random.nextInt(sorted.length)];
            }
            means[r] = sum / sorted.length;
        }
        Arrays.sort(means);
        double tail = (1 - LEVEL) / 2;
        return new Interval(round(Arrays.stream(sorted).average().orElseThrow()), round(means[(int) Math.floor(tail * (RESAMPLES - 1))]),
                round(means[(int) Math.ceil((1 - tail) * (RESAMPLES - 1))]), sorted.length);
    }

    private static double round(double value) {
        return Math.round(value * 1e4) / 1e4;
    }
}
