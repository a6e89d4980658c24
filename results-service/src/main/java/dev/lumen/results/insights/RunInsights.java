package dev.lumen.results.insights;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.lumen.render.SaliencyMap;
import dev.lumen.render.SaliencyPng;
import dev.lumen.results.storage.ResultLayout;
import dev.lumen.results.storage.RunRecords;
import dev.lumen.results.storage.StoredResult;
import dev.lumen.service.concurrent.StripedLocks;
import dev.lumen.service.storage.ObjectStore;
import jakarta.enterprise.context.ApplicationScoped;
import org.jboss.logging.Logger;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Keeps each run's insights up to date as its results are stored, and stores them with the run
 * ({@code runs/{runId}/insights.json}) after every update; the last update of a run (every image has
 * an outcome) stores the final insights.
 *
 * <p>A run in progress keeps its {@link InsightsAccumulator} in memory; the first result of a run this
 * process has not seen (a new run, or after a restart) builds it from the stored records, which then
 * already include that result. Runs read later are served from {@code insights.json}, or recomputed
 * from the stored records when it is missing or was stored before the chance-level measures.
 */
@ApplicationScoped
public class RunInsights {

    /** Object name of a run's insights. */
    public static final String FILE = "insights.json";

    private static final Logger LOG = Logger.getLogger(RunInsights.class);

    private final ObjectStore store;
    private final RunRecords records;
    private final ObjectMapper mapper;
    private final Map<String, InsightsAccumulator> running = new ConcurrentHashMap<>();
    /**
     * Runs whose insights were started before their request was recorded: the two arrive on different
     * topics, so a run's first results can come first. Without the request the dataset, and so its
     * ground truth and tags, is unknown; the insights are rebuilt once it is known.
     */
    private final Set<String> withoutRequest = ConcurrentHashMap.newKeySet();
    /** One lock per run (striped): a run's insights change one result, or one rebuild, at a time. */
    private final StripedLocks locks = new StripedLocks(64);

    public RunInsights(ObjectStore store, RunRecords records, ObjectMapper mapper) {
        this.store = store;
        this.records = records;
        this.mapper = mapper;
    }

    /** Where a run's insights are stored. */
    public static String key(String runId) {
        return ResultLayout.runPrefix(runId) + FILE;
    }

    /**
     * Adds a result that has just been stored to its run's insights and stores them. Never throws:
     * insights are derived data, and a failure here must not stop results from being counted.
     */
    public void update(StoredResult stored) {
        String runId = stored.result().runId();
        try {
            synchronized (locks.of(runId)) {
                InsightsAccumulator accumulator = running.computeIfAbsent(runId, this::fromScratch);
                if (!accumulator.contains(stored.result().imageId())) {
                    accumulator.add(stored, measure(stored, accumulator.groundTruth()));
                }
                InsightsView view = accumulator.snapshot();
                save(view);
                if (view.complete()) {
                    running.remove(runId, accumulator);
                }
            }
        } catch (RuntimeException e) {
            LOG.warnf(e, "run %s image %s: insights not updated", runId, stored.result().imageId());
        }
    }

    /**
     * The run's request has just been recorded. Insights begun before it (its first results came first:
     * the two travel on different topics) lack the dataset's ground truth and tags, so they are rebuilt
     * from the stored results and stored again. Never throws, as {@link #update}.
     */
    public void requestRecorded(String runId) {
        try {
            synchronized (locks.of(runId)) {
                if (!withoutRequest.remove(runId)) {
                    return;
                }
                InsightsAccumulator rebuilt = fromScratch(runId);
                InsightsView view = rebuilt.snapshot();
                if (view.complete()) {
                    running.remove(runId);
                } else {
                    running.put(runId, rebuilt);
                }
                save(view);
            }
            LOG.infof("run %s: insights rebuilt with the dataset's ground truth (its results came before its request)", runId);
        } catch (RuntimeException e) {
            LOG.warnf(e, "run %s: insights not rebuilt after its request", runId);
        }
    }

    /** The run's insights as of now, or empty when the run has no stored request or result. */
    public Optional<InsightsView> insights(String runId) {
        InsightsAccumulator accumulator = running.get(runId);
        if (accumulator != null) {
            return Optional.of(accumulator.snapshot());
        }
        Optional<InsightsView> saved = store.get(key(runId)).map(this::read);
        if (saved.isPresent() && !withoutChanceLevel(saved.get())) {
            return saved;
        }
        if (records.request(runId).isEmpty() && store.list(ResultLayout.imagesPrefix(runId)).isEmpty()) {
            return Optional.empty();
        }
        return Optional.of(recompute(runId));
    }

    /**
     * Whether insights were stored before the chance-level measures (decision 0046): in-box energy
     * without a box share, whose context reliance meant {@code 1 - energy}. Those are recomputed.
     */
    private static boolean withoutChanceLevel(InsightsView view) {
        return view.classes() != null && view.classes().stream().anyMatch(c -> c.inBoxEnergy() != null && c.boxShare() == null);
    }

    /** The run's insights computed from scratch from its stored records. */
    public InsightsView recompute(String runId) {
        return fromScratch(runId).snapshot();
    }

    private InsightsAccumulator fromScratch(String runId) {
        if (records.request(runId).isPresent()) {
            withoutRequest.remove(runId);
        } else {
            withoutRequest.add(runId);
        }
        InsightsAccumulator accumulator = new InsightsAccumulator(runId, groundTruth(runId), tags(runId));
        List<StoredResult> results = new ArrayList<>(records.results(runId));
        results.sort(StoredResult.BY_IMAGE_ID);
        for (StoredResult result : results) {
            accumulator.add(result, measure(result, accumulator.groundTruth()));
        }
        return accumulator;
    }

    /** Measures a stored result, reading its maps. */
    private List<TargetMeasure> measure(StoredResult result, GroundTruth groundTruth) {
        List<SaliencyMap> maps = new ArrayList<>();
        if (result.explanations() != null) {
            String prefix = ResultLayout.imagePrefix(result.result().runId(), result.result().imageId());
            for (StoredResult.StoredExplanation explanation : result.explanations()) {
                maps.add(store.get(prefix + explanation.saliency()).map(SaliencyPng::decode16).orElse(null));
            }
        }
        return InsightsCalculator.measure(result, maps, groundTruth);
    }

    /** The ground truth of the run's dataset ({@code datasets/{id}/ground-truth.json}), if it has any. */
    GroundTruth groundTruth(String runId) {
        Optional<String> dataset = records.request(runId)
                .map(r -> r.request().dataset() == null ? null : r.request().dataset().id());
        if (dataset.isEmpty()) {
            return GroundTruth.NONE;
        }
        return store.get("datasets/" + dataset.get() + "/ground-truth.json")
                .map(bytes -> {
                    try {
                        return GroundTruth.parse(bytes, mapper);
                    } catch (UncheckedIOException e) {
                        LOG.warnf("dataset %s: ground truth ignored: %s", dataset.get(), e.getMessage());
                        return GroundTruth.NONE;
                    }
                })
                .orElse(GroundTruth.NONE);
    }

    /** The tags of the run's dataset's images ({@code datasets/{id}/image-tags.json}), if it has any. */
    ImageTags tags(String runId) {
        return datasetOf(runId)
                .flatMap(dataset -> store.get("datasets/" + dataset + "/" + ImageTags.FILE).map(bytes -> {
                    try {
                        return ImageTags.parse(bytes, mapper);
                    } catch (UncheckedIOException e) {
                        LOG.warnf("dataset %s: image tags ignored: %s", dataset, e.getMessage());
                        return ImageTags.NONE;
                    }
                }))
                .orElse(ImageTags.NONE);
    }

    private Optional<String> datasetOf(String runId) {
        return records.request(runId).map(r -> r.request().dataset() == null ? null : r.request().dataset().id());
    }

    private void save(InsightsView view) {
        try {
            store.put(key(view.runId()), mapper.writeValueAsBytes(view), "application/json");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private InsightsView read(byte[] bytes) {
        try {
            return mapper.readValue(bytes, InsightsView.class);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
