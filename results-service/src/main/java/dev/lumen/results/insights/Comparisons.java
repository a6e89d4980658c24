package dev.lumen.results.insights;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.function.Function;

/** Compares the insights of two runs, pairing images by image id and classes by label. */
public final class Comparisons {

    /** Sort keys. */
    public static final String ENERGY = "energy";
    public static final String SCORE = "score";
    public static final String MOVED = "moved";

    private Comparisons() {
    }

    /**
     * Compares two runs' insights (each with its per-image list).
     *
     * @param agreement the two runs' map agreement ({@link MapAgreements#between}), with its pairs
     * @param sort {@link #ENERGY} or {@link #SCORE}: largest absolute change first; {@link #MOVED}: lowest
     *             map correlation first; unknown values (no measure on one side) last
     */
    public static ComparisonView compare(InsightsView a, InsightsView b, RunAgreement agreement, String sort) {
        String key = SCORE.equals(sort) || MOVED.equals(sort) ? sort : ENERGY;
        Map<String, ClassInsights> classesA = byLabel(a.classes());
        Map<String, ClassInsights> classesB = byLabel(b.classes());
        TreeSet<String> labels = new TreeSet<>(classesA.keySet());
        labels.addAll(classesB.keySet());
        Map<String, List<ImageInsight[]>> pairsByLabel = pairsByLabel(a.images(), b.images());
        Map<String, List<Double>> pearsonsByLabel = new TreeMap<>();
        if (agreement.targets() != null) {
            agreement.targets().stream().filter(t -> t.pearson() != null)
                    .forEach(t -> pearsonsByLabel.computeIfAbsent(t.label(), l -> new ArrayList<>()).add(t.pearson()));
        }
        List<ComparisonView.ClassChange> classes = new ArrayList<>();
        for (String label : labels) {
            ClassInsights ca = classesA.get(label);
            ClassInsights cb = classesB.get(label);
            Double ea = ca == null ? null : ca.inBoxEnergy();
            Double eb = cb == null ? null : cb.inBoxEnergy();
            Double sa = ca == null ? null : ca.meanScore();
            Double sb = cb == null ? null : cb.meanScore();
            List<ImageInsight[]> pairs = pairsByLabel.getOrDefault(label, List.of());
            List<Double> energyChanges = pairs.stream().filter(p -> p[0].inBoxEnergy() != null && p[1].inBoxEnergy() != null)
                    .map(p -> p[1].inBoxEnergy() - p[0].inBoxEnergy()).toList();
            List<Double> scoreChanges = pairs.stream().map(p -> p[1].score() - p[0].score()).toList();
            List<Double> pearsons = pearsonsByLabel.getOrDefault(label, List.of());
            classes.add(new ComparisonView.ClassChange(label, ca == null ? 0 : ca.explained(), cb == null ? 0 : cb.explained(),
                    ea, eb, change(ea, eb), sa, sb, change(sa, sb), pairs.size(),
                    Bootstrap.mean(energyChanges, label + "/pairedEnergyChange"),
                    Bootstrap.mean(scoreChanges, label + "/pairedScoreChange"),
                    pearsons.isEmpty() ? null : round(pearsons.stream().mapToDouble(Double::doubleValue).average().orElseThrow())));
        }
        classes.sort(byChange(key.equals(SCORE) ? ComparisonView.ClassChange::scoreChange
                : ComparisonView.ClassChange::energyChange, ComparisonView.ClassChange::label));

        Map<String, Double> pearsons = new TreeMap<>();
        if (agreement.targets() != null) {
            agreement.targets().stream().filter(t -> t.pearson() != null)
                    .forEach(t -> pearsons.put(t.imageId() + "|" + t.target(), t.pearson()));
        }
        Map<String, ImageInsight> imagesA = firstTargets(a.images());
        Map<String, ImageInsight> imagesB = firstTargets(b.images());
        TreeSet<String> ids = new TreeSet<>(imagesA.keySet());
        ids.addAll(imagesB.keySet());
        List<ComparisonView.ImagePair> images = new ArrayList<>();
        int shared = 0;
        for (String id : ids) {
            ImageInsight ia = imagesA.get(id);
            ImageInsight ib = imagesB.get(id);
            shared += ia != null && ib != null ? 1 : 0;
            Double pearson = ia == null || ib == null || ia.target() != ib.target() ? null
                    : pearsons.get(id + "|" + ia.target());
            images.add(new ComparisonView.ImagePair(id, ia, ib,
                    change(ia == null ? null : ia.inBoxEnergy(), ib == null ? null : ib.inBoxEnergy()),
                    ia == null || ib == null ? null : round(ib.score() - ia.score()), pearson));
        }
        images.sort(byChange(switch (key) {
            case SCORE -> ComparisonView.ImagePair::scoreChange;
            case MOVED -> ComparisonView.ImagePair::moved;
            default -> ComparisonView.ImagePair::energyChange;
        }, ComparisonView.ImagePair::imageId));
        return new ComparisonView(a.runId(), b.runId(), a.reference(), b.reference(), key, shared, agreement.summary(),
                classes, images);
    }

    private static <T> Comparator<T> byChange(Function<T, Double> change, Function<T, String> tieBreak) {
        return Comparator.<T, Double>comparing(t -> change.apply(t) == null ? null : Math.abs(change.apply(t)),
                        Comparator.nullsLast(Comparator.reverseOrder()))
                .thenComparing(tieBreak);
    }

    /** Per label, the targets both runs explained in the same image at the same position. */
    private static Map<String, List<ImageInsight[]>> pairsByLabel(List<ImageInsight> a, List<ImageInsight> b) {
        Map<String, ImageInsight> inB = new TreeMap<>();
        if (b != null) {
            b.forEach(i -> inB.put(i.imageId() + "|" + i.target(), i));
        }
        Map<String, List<ImageInsight[]>> pairs = new TreeMap<>();
        if (a != null) {
            for (ImageInsight ia : a) {
                ImageInsight ib = inB.get(ia.imageId() + "|" + ia.target());
                if (ib != null && ib.label().equals(ia.label())) {
                    pairs.computeIfAbsent(ia.label(), l -> new ArrayList<>()).add(new ImageInsight[] {ia, ib});
                }
            }
        }
        return pairs;
    }

    private static Map<String, ClassInsights> byLabel(List<ClassInsights> classes) {
        Map<String, ClassInsights> map = new LinkedHashMap<>();
        if (classes != null) {
            classes.forEach(c -> map.put(c.label(), c));
        }
        return map;
    }

    private static Map<String, ImageInsight> firstTargets(List<ImageInsight> images) {
        Map<String, ImageInsight> map = new TreeMap<>();
        if (images != null) {
            for (ImageInsight image : images) {
                map.merge(image.imageId(), image, (x, y) -> x.target() <= y.target() ? x : y);
            }
        }
        return map;
    }

    private static Double change(Double from, Double to) {
        return from == null || to == null ? null : round(to - from);
    }

    private static double round(double value) {
        return Math.round(value * 1e6) / 1e6;
    }
}
