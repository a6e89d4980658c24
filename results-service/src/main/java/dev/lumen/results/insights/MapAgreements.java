package dev.lumen.results.insights;

import dev.lumen.render.SaliencyMap;
import dev.lumen.render.SaliencyPng;
import dev.lumen.results.storage.ResultLayout;
import dev.lumen.service.storage.ObjectStore;
import jakarta.enterprise.context.ApplicationScoped;

import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * Computes {@link RunAgreement}s from two runs' insights and their stored maps ({@code saliency-K.png}).
 * Stored maps never change once a result is stored, so each pair's correlation is computed once and
 * kept (least recently used pairs dropped beyond {@value #CACHED_PAIRS}); a page polling a run in
 * progress reads only the maps of the results stored since its last poll.
 */
@ApplicationScoped
public class MapAgreements {

    /** Pairs least correlated first (undefined correlations last), then by image and position. */
    static final Comparator<MapAgreement> LEAST_CORRELATED_FIRST = Comparator
            .comparing(MapAgreement::pearson, Comparator.nullsLast(Comparator.naturalOrder()))
            .thenComparing(MapAgreement::imageId).thenComparingInt(MapAgreement::target);

    private static final int CACHED_PAIRS = 100_000;

    private final ObjectStore store;
    private final Map<String, MapAgreement> cache = Collections.synchronizedMap(new LinkedHashMap<>(1024, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, MapAgreement> eldest) {
            return size() > CACHED_PAIRS;
        }
    });

    public MapAgreements(ObjectStore store) {
        this.store = store;
    }

    /**
     * The agreement of two runs' maps over the targets both explained (same image, same position,
     * same label), with every pair.
     *
     * @param a run a's insights with their per-image list
     * @param b run b's insights with their per-image list
     */
    public RunAgreement between(InsightsView a, String methodA, InsightsView b, String methodB) {
        Map<String, ImageInsight> targetsB = byTarget(b);
        List<MapAgreement> pairs = new ArrayList<>();
        for (ImageInsight ia : a.images() == null ? List.<ImageInsight>of() : a.images()) {
            ImageInsight ib = targetsB.get(key(ia));
            if (ib != null && ib.label().equals(ia.label())) {
                pairs.add(cache.computeIfAbsent(a.runId() + "|" + b.runId() + "|" + key(ia),
                        k -> measure(a.runId(), ia, b.runId(), ib)));
            }
        }
        return RunAgreement.of(a.runId(), b.runId(), methodA, methodB, pairs);
    }

    private MapAgreement measure(String runA, ImageInsight ia, String runB, ImageInsight ib) {
        Optional<SaliencyMap> mapA = map(runA, ia);
        Optional<SaliencyMap> mapB = map(runB, ib);
        Double pearson = mapA.isPresent() && mapB.isPresent() ? MapAgreement.correlation(mapA.get(), mapB.get()) : null;
        return new MapAgreement(ia.imageId(), ia.target(), ia.label(), pearson == null ? null : round(pearson),
                ia.pointingHit(), ib.pointingHit());
    }

    private Optional<SaliencyMap> map(String runId, ImageInsight target) {
        return store.get(ResultLayout.imagePrefix(runId, target.imageId()) + ResultLayout.saliencyFile(target.target()))
                .map(SaliencyPng::decode16);
    }

    private static Map<String, ImageInsight> byTarget(InsightsView view) {
        return view.images() == null ? Map.of()
                : view.images().stream().collect(Collectors.toMap(MapAgreements::key, Function.identity(), (x, y) -> x));
    }

    private static String key(ImageInsight target) {
        return target.imageId() + "|" + target.target();
    }

    private static double round(double value) {
        return Math.round(value * 1e4) / 1e4;
    }
}
