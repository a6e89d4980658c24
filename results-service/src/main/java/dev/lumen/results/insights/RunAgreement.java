package dev.lumen.results.insights;

import com.fasterxml.jackson.annotation.JsonInclude;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * How the maps of two runs over the same images agree (e.g. a gradient method and D-RISE on the same
 * detector): targets are paired by image, position and label, and each pair's maps are correlated.
 *
 * @param a the first run
 * @param b the second run
 * @param methodA run a's method
 * @param methodB run b's method
 * @param pairs targets both runs explained (same image, position and label)
 * @param correlated pairs with a defined correlation (neither map constant)
 * @param meanPearson mean of the pairs' Pearson correlations, when any is defined
 * @param medianPearson median of them
 * @param withReference pairs whose target has a reference box (ground truth or prediction)
 * @param pointingAgreement share of {@code withReference} pairs whose two maps both point inside the box or
 *                          both outside it
 * @param pointingHitsA pairs whose run-a map points inside the box
 * @param pointingHitsB pairs whose run-b map points inside the box
 * @param bothHit pairs where both do
 * @param targets every pair, least correlated first; omitted where only the summary is asked for
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record RunAgreement(String a, String b, String methodA, String methodB, int pairs, int correlated,
                           Double meanPearson, Double medianPearson, int withReference, Double pointingAgreement,
                           int pointingHitsA, int pointingHitsB, int bothHit, List<MapAgreement> targets) {

    /** The agreement of the pairs given, least correlated first. */
    public static RunAgreement of(String a, String b, String methodA, String methodB, List<MapAgreement> pairs) {
        List<Double> pearsons = pairs.stream().map(MapAgreement::pearson).filter(Objects::nonNull).sorted().toList();
        int withReference = 0;
        int agreeing = 0;
        int hitsA = 0;
        int hitsB = 0;
        int both = 0;
        for (MapAgreement pair : pairs) {
            if (pair.pointingAgrees() == null) {
                continue;
            }
            withReference++;
            agreeing += pair.pointingAgrees() ? 1 : 0;
            hitsA += pair.pointingHitA() ? 1 : 0;
            hitsB += pair.pointingHitB() ? 1 : 0;
            both += pair.pointingHitA() && pair.pointingHitB() ? 1 : 0;
        }
        List<MapAgreement> sorted = new ArrayList<>(pairs);
        sorted.sort(MapAgreements.LEAST_CORRELATED_FIRST);
        return new RunAgreement(a, b, methodA, methodB, pairs.size(), pearsons.size(),
                pearsons.isEmpty() ? null : round(pearsons.stream().mapToDouble(Double::doubleValue).average().orElseThrow()),
                pearsons.isEmpty() ? null : round(median(pearsons)), withReference,
                withReference == 0 ? null : round(agreeing / (double) withReference), hitsA, hitsB, both, sorted);
    }

    /** This agreement without the per-target list. */
    public RunAgreement summary() {
        return new RunAgreement(a, b, methodA, methodB, pairs, correlated, meanPearson, medianPearson, withReference,
                pointingAgreement, pointingHitsA, pointingHitsB, bothHit, null);
    }

    private static double median(List<Double> sorted) {
        int n = sorted.size();
        return n % 2 == 1 ? sorted.get(n / 2) : (sorted.get(n / 2 - 1) + sorted.get(n / 2)) / 2;
    }

    private static double round(double value) {
        return Math.round(value * 1e4) / 1e4;
    }
}
