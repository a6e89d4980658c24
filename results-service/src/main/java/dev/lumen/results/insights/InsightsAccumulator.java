package dev.lumen.results.insights;

import dev.lumen.results.storage.StoredResult;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.stream.Collectors;

/**
 * The running aggregate of one run's insights, updated one stored result at a time. Every sum is kept
 * in integers (fixed point), so the result does not depend on the order in which results arrive, and
 * each image counts once however often it is added.
 */
public final class InsightsAccumulator {

    /** Fixed-point scale of scalar measures (scores, AUCs, energies). */
    private static final double SCALE = 1_000_000_000d;

    private final String runId;
    private final GroundTruth groundTruth;
    private final ImageTags tags;
    private final Map<String, Set<String>> tagsByImage = new HashMap<>();
    private final Set<String> processed = new HashSet<>();
    private final Map<String, ClassSums> classes = new TreeMap<>();
    private final List<ImageInsight> images = new ArrayList<>();
    private final ErrorSums errors = new ErrorSums();
    private int total;

    /** An empty aggregate of {@code runId}, measuring against {@code groundTruth}, without image tags. */
    public InsightsAccumulator(String runId, GroundTruth groundTruth) {
        this(runId, groundTruth, ImageTags.NONE);
    }

    /** An empty aggregate of {@code runId}, measuring against {@code groundTruth}, slicing by {@code tags}. */
    public InsightsAccumulator(String runId, GroundTruth groundTruth, ImageTags tags) {
        this.runId = runId;
        this.groundTruth = groundTruth;
        this.tags = tags;
    }

    /** The ground truth this aggregate measures against. */
    public GroundTruth groundTruth() {
        return groundTruth;
    }

    /** Whether the image already counts. */
    public synchronized boolean contains(String imageId) {
        return processed.contains(imageId);
    }

    /**
     * Adds one image's outcome and measures; an image already counted is ignored.
     *
     * @return whether it was added
     */
    public synchronized boolean add(StoredResult result, List<TargetMeasure> measures) {
        total = Math.max(total, result.result().imageTotal());
        if (!processed.add(result.result().imageId())) {
            return false;
        }
        List<String> imageTags = tags.of(result.result().imageId(), result.result().imageKey());
        if (!imageTags.isEmpty()) {
            tagsByImage.put(result.result().imageId(), Set.copyOf(imageTags));
        }
        errors.add(result.result());
        for (TargetMeasure measure : measures) {
            ImageInsight insight = measure.insight();
            classes.computeIfAbsent(insight.label(), l -> new ClassSums()).add(measure);
            images.add(insight);
        }
        return true;
    }

    /** The insights as of now. */
    public synchronized InsightsView snapshot() {
        Comparator<ImageInsight> byImage = Comparator.comparing(ImageInsight::imageId).thenComparingInt(ImageInsight::target);
        List<ImageInsight> all = images.stream().sorted(byImage).toList();
        Map<String, List<ImageInsight>> byLabel = all.stream().collect(Collectors.groupingBy(ImageInsight::label));
        List<ClassInsights> perClass = new ArrayList<>();
        classes.forEach((label, sums) -> perClass.add(sums.view(label, ContextTestSummary.of(label, byLabel.get(label)))));
        List<String> ranking = perClass.stream()
                .filter(c -> c.contextReliance() != null)
                .sorted(Comparator.comparingDouble(ClassInsights::contextReliance).reversed()
                        .thenComparingDouble(ClassInsights::lift).thenComparing(ClassInsights::label))
                .map(ClassInsights::label)
                .toList();
        List<ImageInsight> away = all.stream()
                .filter(i -> i.contextReliance() != null)
                .sorted(Comparator.comparingDouble(ImageInsight::contextReliance).reversed()
                        .thenComparingDouble(ImageInsight::lift).thenComparing(byImage))
                .limit(InsightsView.GALLERY)
                .toList();
        String reference = all.stream().anyMatch(i -> InsightsCalculator.GROUND_TRUTH.equals(i.reference())
                && i.inBoxEnergy() != null) ? InsightsCalculator.GROUND_TRUTH
                : all.stream().anyMatch(i -> InsightsCalculator.PREDICTION.equals(i.reference()))
                ? InsightsCalculator.PREDICTION : InsightsCalculator.NONE;
        List<SliceInsights> slices = new ArrayList<>();
        for (String tag : new TreeSet<>(tagsByImage.values().stream().flatMap(Set::stream).toList())) {
            for (ClassInsights c : perClass) {
                SliceInsights slice = SliceInsights.of(tag, c.label(), byLabel.get(c.label()),
                        i -> tagsByImage.getOrDefault(i.imageId(), Set.of()));
                if (slice != null) {
                    slices.add(slice);
                }
            }
        }
        return new InsightsView(runId, total > 0 && processed.size() >= total, processed.size(), total, reference,
                InsightsView.GRID, InsightsView.BOX_GRID, perClass, ranking, away, Finding.of(perClass, slices), slices,
                errors.view(), all);
    }

    private static long fixed(double value) {
        return Math.round(value * SCALE);
    }

    private static Double mean(long sum, int count) {
        return count == 0 ? null : round(sum / SCALE / count, 6);
    }

    private static double round(double value, int digits) {
        double factor = Math.pow(10, digits);
        return Math.round(value * factor) / factor;
    }

    private static double[] meanGrid(long[] sums, int count) {
        if (sums == null || count == 0) {
            return null;
        }
        double[] out = new double[sums.length];
        for (int i = 0; i < out.length; i++) {
            out[i] = round(sums[i] / InsightsCalculator.GRID_SCALE / count, 4);
        }
        return out;
    }

    /** Integer sums of one class. */
    private static final class ClassSums {
        int explained;
        long score;
        long deletion;
        int deletions;
        long insertion;
        int insertions;
        int measured;
        int fromGroundTruth;
        long energy;
        long share;
        int hits;
        long[] grid;
        int grids;
        long[] boxGrid;
        int boxGrids;

        void add(TargetMeasure measure) {
            ImageInsight insight = measure.insight();
            explained++;
            score += fixed(insight.score());
            if (insight.deletionAuc() != null) {
                deletion += fixed(insight.deletionAuc());
                deletions++;
            }
            if (insight.insertionAuc() != null) {
                insertion += fixed(insight.insertionAuc());
                insertions++;
            }
            if (insight.inBoxEnergy() != null) {
                measured++;
                energy += fixed(insight.inBoxEnergy());
                share += fixed(insight.boxShare());
                hits += Boolean.TRUE.equals(insight.pointingHit()) ? 1 : 0;
                fromGroundTruth += InsightsCalculator.GROUND_TRUTH.equals(insight.reference()) ? 1 : 0;
            }
            if (measure.grid() != null) {
                grid = addInto(grid, measure.grid());
                grids++;
            }
            if (measure.boxGrid() != null) {
                boxGrid = addInto(boxGrid, measure.boxGrid());
                boxGrids++;
            }
        }

        private static long[] addInto(long[] sums, long[] values) {
            long[] out = sums == null ? new long[values.length] : sums;
            for (int i = 0; i < values.length; i++) {
                out[i] += values[i];
            }
            return out;
        }

        ClassInsights view(String label, ContextTestSummary contextTest) {
            Double inBox = mean(energy, measured);
            // Ratios of the sums, not means of per-target ratios (decision 0046): in context reliance each
            // target weighs by the share of its map outside its box, so one whose box fills the image (nothing
            // to tell) weighs nothing, and one small box with a map a little off cannot swamp the class.
            Double lift = measured == 0 || share == 0 ? null : round(energy / (double) share, 6);
            long all = measured * (long) SCALE;
            Double context = measured == 0 ? null
                    : InsightsCalculator.contextReliance((all - energy) / SCALE, (all - share) / SCALE);
            context = context == null ? null : round(context, 6);
            String reference = measured == 0 ? InsightsCalculator.NONE
                    : fromGroundTruth == measured ? InsightsCalculator.GROUND_TRUTH : InsightsCalculator.PREDICTION;
            return new ClassInsights(label, explained, mean(score, explained), mean(deletion, deletions),
                    mean(insertion, insertions), reference, measured, inBox, mean(share, measured), lift,
                    measured == 0 ? null : round(hits / (double) measured, 6), context, meanGrid(grid, grids), meanGrid(boxGrid, boxGrids),
                    contextTest);
        }
    }
}
