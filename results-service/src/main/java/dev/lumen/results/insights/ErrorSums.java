package dev.lumen.results.insights;

import dev.lumen.contracts.Evaluation;
import dev.lumen.contracts.ImageResult;
import dev.lumen.contracts.MissedObject;
import dev.lumen.contracts.PredictionMatch;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Integer counts of a run's error types, folded one image at a time; counts do not depend on the order
 * images arrive in. The caller adds each image once.
 */
final class ErrorSums {

    private final Map<String, Map<String, Integer>> byClass = new TreeMap<>();
    private final Map<String, Integer> images = new TreeMap<>();
    private final Map<List<String>, Integer> confusions = new TreeMap<>(
            Comparator.<List<String>, String>comparing(k -> k.get(0)).thenComparing(k -> k.get(1)));
    private int evaluated;
    private int detectionImages;
    private int labelImages;

    /** Adds the image's evaluation; an image without one is not counted. */
    void add(ImageResult result) {
        Evaluation evaluation = result.evaluation();
        if (evaluation == null) {
            return;
        }
        evaluated++;
        if ((evaluation.matches() != null && !evaluation.matches().isEmpty())
                || (evaluation.missed() != null && !evaluation.missed().isEmpty())) {
            if (ErrorTypes.detections(result)) {
                detectionImages++;
            } else {
                labelImages++;
            }
        }
        ErrorTypes.of(result).forEach(type -> images.merge(type, 1, Integer::sum));
        if (evaluation.matches() != null) {
            for (PredictionMatch match : evaluation.matches()) {
                String label = ErrorTypes.predictedLabel(result, match);
                if (label == null || match.type() == null) {
                    continue;
                }
                byClass.computeIfAbsent(label, l -> new TreeMap<>()).merge(match.type(), 1, Integer::sum);
                boolean confused = ErrorTypes.CLASS_CONFUSION.equals(match.type()) || ErrorTypes.WRONG.equals(match.type());
                if (confused && match.trueLabel() != null && !match.trueLabel().equals(label)) {
                    confusions.merge(List.of(label, match.trueLabel()), 1, Integer::sum);
                }
            }
        }
        if (evaluation.missed() != null) {
            for (MissedObject missed : evaluation.missed()) {
                if (missed.label() != null) {
                    byClass.computeIfAbsent(missed.label(), l -> new TreeMap<>()).merge(ErrorTypes.MISSED, 1, Integer::sum);
                }
            }
        }
    }

    /** The counts as of now, or null when no image had an evaluation. */
    ErrorInsights view() {
        if (evaluated == 0) {
            return null;
        }
        List<String> types = detectionImages >= labelImages && detectionImages > 0 ? ErrorTypes.DETECTION : ErrorTypes.LABEL;
        // A type the task's list lacks (a mixed or unexpected evaluation) is still shown rather than dropped.
        List<String> columns = new ArrayList<>(types);
        byClass.values().forEach(counts -> counts.keySet().stream()
                .filter(t -> !columns.contains(t)).forEach(columns::add));
        columns.sort(Comparator.comparingInt(t -> ErrorTypes.ALL.indexOf(t) < 0 ? Integer.MAX_VALUE : ErrorTypes.ALL.indexOf(t)));
        Map<String, Integer> totals = zeros(columns);
        Map<String, Integer> imageCounts = zeros(columns);
        images.forEach(imageCounts::put);
        List<ClassErrors> classes = new ArrayList<>();
        byClass.forEach((label, counts) -> {
            Map<String, Integer> row = zeros(columns);
            counts.forEach(row::put);
            counts.forEach((type, n) -> totals.merge(type, n, Integer::sum));
            int predictions = 0;
            int hits = 0;
            for (Map.Entry<String, Integer> e : counts.entrySet()) {
                if (!ErrorTypes.MISSED.equals(e.getKey())) {
                    predictions += e.getValue();
                }
                if (ErrorTypes.hit(e.getKey())) {
                    hits += e.getValue();
                }
            }
            int missed = counts.getOrDefault(ErrorTypes.MISSED, 0);
            classes.add(new ClassErrors(label, row, predictions, ratio(hits, predictions), ratio(hits, hits + missed)));
        });
        List<Confusion> top = confusions.entrySet().stream()
                .map(e -> new Confusion(e.getKey().get(0), e.getKey().get(1), e.getValue()))
                .sorted(Comparator.comparingInt(Confusion::count).reversed()
                        .thenComparing(Confusion::predicted).thenComparing(Confusion::trueLabel))
                .limit(ErrorInsights.TOP_CONFUSIONS)
                .toList();
        return new ErrorInsights(evaluated, List.copyOf(columns), totals, imageCounts, classes, top);
    }

    private static Map<String, Integer> zeros(List<String> types) {
        Map<String, Integer> counts = new LinkedHashMap<>();
        types.forEach(t -> counts.put(t, 0));
        return counts;
    }

    private static Double ratio(int numerator, int denominator) {
        return denominator == 0 ? null : Math.round(numerator * 1_000_000d / denominator) / 1_000_000d;
    }
}
