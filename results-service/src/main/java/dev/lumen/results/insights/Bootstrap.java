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
     * The difference of two groups' means ({@code slice - rest}) with its 95% percentile-bootstrap interval
     * (each group resampled on its own).
     *
     * @param slice the slice's mean
     * @param rest the other values' mean
     * @param difference {@code slice - rest}
     * @param low the interval's lower end
     * @param high the interval's upper end
     * @param nSlice values in the slice
     * @param nRest other values
     */
    public record Difference(double slice, double rest, double difference, double low, double high, int nSlice, int nRest) {

        /** Whether the interval lies entirely above or entirely below zero. */
        public boolean excludesZero() {
            return low > 0 || high < 0;
        }
    }

    /** The difference of the two groups' means with its 95% interval; null when either has fewer than two values. */
    public static Difference difference(List<Double> slice, List<Double> rest, String key) {
        if (slice.size() < 2 || rest.size() < 2) {
            return null;
        }
        double[] a = slice.stream().mapToDouble(Double::doubleValue).sorted().toArray();
        double[] b = rest.stream().mapToDouble(Double::doubleValue).sorted().toArray();
        SplittableRandom random = new SplittableRandom(key.hashCode() * 31L + a.length * 7919L + b.length);
        double[] differences = new double[RESAMPLES];
        for (int r = 0; r < RESAMPLES; r++) {
            differences[r] = resampledMean(a, random) - resampledMean(b, random);
        }
        Arrays.sort(differences);
        double tail = (1 - LEVEL) / 2;
        double meanA = Arrays.stream(a).average().orElseThrow();
        double meanB = Arrays.stream(b).average().orElseThrow();
        return new Difference(round(meanA), round(meanB), round(meanA - meanB),
                round(differences[(int) Math.floor(tail * (RESAMPLES - 1))]),
                round(differences[(int) Math.ceil((1 - tail) * (RESAMPLES - 1))]), a.length, b.length);
    }

    private static double resampledMean(double[] values, SplittableRandom random) {
        double sum = 0;
        for (int i = 0; i < values.length; i++) {
            sum += values[random.nextInt(values.length)];
        }
        return sum / values.length;
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
