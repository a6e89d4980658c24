package dev.lumen.results.storage;

import dev.lumen.results.config.ResultsConfig;
import dev.lumen.service.storage.ObjectStore;
import jakarta.enterprise.context.ApplicationScoped;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The stored image records of recently viewed runs, in memory, so that listing, filtering and
 * sorting a run's results does not read every {@code result.json} again on every request.
 *
 * <p>Object storage stays the source of truth. A record never changes once written (a redelivered
 * result is recognised and not written again), so a cached record never goes stale; the cache can
 * only miss records. It is told about each record this process writes, and reads the missing ones
 * from storage whenever it holds fewer records than the run's progress counts (written by another
 * replica, or before a restart).
 */
@ApplicationScoped
public class ResultIndex {

    private final ObjectStore store;
    private final RunRecords records;
    private final Map<String, Map<String, StoredResult>> runs;

    public ResultIndex(ObjectStore store, RunRecords records, ResultsConfig config) {
        this.store = store;
        this.records = records;
        int capacity = Math.max(1, config.indexedRuns());
        this.runs = new LinkedHashMap<>(16, 0.75f, true) {
            @Override
            protected boolean removeEldestEntry(Map.Entry<String, Map<String, StoredResult>> eldest) {
                return size() > capacity;
            }
        };
    }

    /** Notes a record this process has just written. */
    public void put(StoredResult result) {
        Map<String, StoredResult> run;
        synchronized (runs) {
            run = runs.get(result.result().runId());
        }
        // Only runs already indexed: a run nobody looked at is read on its first listing anyway.
        if (run != null) {
            run.put(result.result().imageId(), result);
        }
    }

    /**
     * Every stored record of the run, reading from storage the ones not yet in memory when fewer than
     * {@code expected} are held.
     *
     * @param runId the run
     * @param expected how many images the run's progress counts as done
     */
    public List<StoredResult> results(String runId, int expected) {
        Map<String, StoredResult> run;
        boolean fresh = false;
        synchronized (runs) {
            run = runs.get(runId);
            if (run == null) {
                run = new ConcurrentHashMap<>();
                runs.put(runId, run);
                fresh = true;
            }
        }
        if (fresh || run.size() < expected) {
            refresh(runId, run);
        }
        return new ArrayList<>(run.values());
    }

    private void refresh(String runId, Map<String, StoredResult> run) {
        String prefix = ResultLayout.imagesPrefix(runId);
        for (String key : store.list(prefix)) {
            if (!key.endsWith("/" + ResultLayout.RESULT_FILE)) {
                continue;
            }
            String imageId = key.substring(prefix.length(), key.length() - ResultLayout.RESULT_FILE.length() - 1);
            if (!run.containsKey(imageId)) {
                records.result(runId, imageId).ifPresent(result -> run.put(imageId, result));
            }
        }
    }
}
