package dev.lumen.results.progress;

import dev.lumen.contracts.ImageResult;
import dev.lumen.contracts.Outcome;
import dev.lumen.contracts.RunCancelled;
import dev.lumen.contracts.RunProgress;
import dev.lumen.contracts.RunRequested;
import dev.lumen.results.storage.RunRecords;
import dev.lumen.results.storage.StoredResult;
import dev.lumen.service.storage.ObjectStore;
import jakarta.enterprise.context.ApplicationScoped;
import org.jboss.logging.Logger;

import java.time.Instant;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Progress of every run this service has seen. A run not in memory (after a restart) is rebuilt from
 * the records in object storage, which are written before an event is acknowledged, so counts stay
 * exact across restarts and redeliveries. A cancellation is rebuilt from the marker
 * {@code runs/{runId}/cancelled} (written before the cancel event) or from a result skipped because
 * the run was cancelled (a worker only skips so when it saw the marker).
 */
@ApplicationScoped
public class RunTracker {

    private static final Logger LOG = Logger.getLogger(RunTracker.class);
    private static final int REMEMBERED_DELETIONS = 10_000;

    private final RunRecords records;
    private final ObjectStore store;
    private final Map<String, RunLedger> ledgers = new HashMap<>();
    private final Set<String> dirty = new LinkedHashSet<>();
    /** Runs deleted lately: late duplicates of their results are neither stored nor counted. */
    private final Map<String, Boolean> deleted = new LinkedHashMap<>(256, 0.75f, false) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, Boolean> eldest) {
            return size() > REMEMBERED_DELETIONS;
        }
    };

    public RunTracker(RunRecords records, ObjectStore store) {
        this.records = records;
        this.store = store;
    }

    /**
     * Notes a run request.
     *
     * @return the run's progress when its state changed (to be published now), else empty
     */
    public synchronized Optional<RunProgress> requested(RunRequested request, Instant at) {
        if (deleted.containsKey(request.runId())) {
            return Optional.empty();
        }
        RunLedger ledger = ledger(request.runId());
        var before = ledger.hasRequest() ? ledger.state() : null;
        ledger.request(request, at);
        dirty.add(request.runId());
        return before != ledger.state() ? Optional.of(ledger.publishing(Instant.now())) : Optional.empty();
    }

    /**
     * Notes a stored image result.
     *
     * @return the run's progress when its state changed (to be published now), else empty
     */
    public synchronized Optional<RunProgress> recorded(StoredResult result, Instant at) {
        ImageResult image = result.result();
        RunLedger ledger = ledger(image.runId());
        var before = ledger.state();
        if (cancelledSkip(image.outcome(), image.reason())) {
            // The worker saw the cancel marker: the run is cancelled even if its event is still on its way.
            ledger.cancel(at);
        }
        if (!ledger.record(image.tenant(), image.imageId(), image.outcome(), image.reason(), image.imageTotal(), at,
                image.worker(), explainMillis(image))) {
            return Optional.empty();
        }
        dirty.add(image.runId());
        return before != ledger.state() ? Optional.of(ledger.publishing(Instant.now())) : Optional.empty();
    }

    /**
     * Notes a cancellation.
     *
     * @return the run's progress when it became CANCELLED (to be published now), else empty; a
     *     cancellation of a finished run is void, and its marker is removed
     */
    public synchronized Optional<RunProgress> cancelled(String runId, Instant at) {
        if (deleted.containsKey(runId)) {
            return Optional.empty();
        }
        RunLedger ledger = ledger(runId);
        if (ledger.cancel(at)) {
            dirty.add(runId);
            return Optional.of(ledger.publishing(Instant.now()));
        }
        if (!ledger.cancelled()) {
            LOG.infof("run %s: cancellation arrived after the run finished (%s); it is void", runId, ledger.state());
            store.delete(RunCancelled.markerKey(runId));
        }
        return Optional.empty();
    }

    /** Forgets a deleted run; results that still arrive for it count as already recorded. */
    public synchronized void deleted(String runId) {
        ledgers.remove(runId);
        dirty.remove(runId);
        deleted.put(runId, Boolean.TRUE);
    }

    /** Whether the run was deleted lately (its events are stale). */
    public synchronized boolean isDeleted(String runId) {
        return deleted.containsKey(runId);
    }

    /**
     * Whether the image already has a recorded outcome (loading the run from storage if needed); always
     * true for a deleted run, so that late results of it are neither stored nor counted.
     */
    public synchronized boolean hasOutcome(String runId, String imageId) {
        return deleted.containsKey(runId) || ledger(runId).has(imageId);
    }

    /**
     * The run's progress, loading it from storage if needed; empty for an unknown or deleted run. When
     * nothing changed since the last published snapshot, that snapshot: whoever reads the progress
     * here ({@code ./lumen runs create --follow}) sees the same numbers, ETA included, as whoever
     * follows the published updates (the run page) at that moment.
     */
    public synchronized Optional<RunProgress> progress(String runId) {
        if (deleted.containsKey(runId)) {
            return Optional.empty();
        }
        RunLedger ledger = ledger(runId);
        if (!ledger.hasRequest() && ledger.total() == 0) {
            ledgers.remove(runId);
            return Optional.empty();
        }
        RunProgress published = ledger.published();
        if (published != null && !dirty.contains(runId) && published.state() == ledger.state()
                && published.done() == ledger.done()) {
            return Optional.of(published);
        }
        return Optional.of(ledger.snapshot(Instant.now()));
    }

    /**
     * Progress of the runs changed since the last call, for periodic publishing: those with new
     * outcomes, and running runs whose ETA counted down.
     */
    public synchronized Map<String, RunProgress> drainChanged() {
        Map<String, RunProgress> changed = new HashMap<>();
        Instant now = Instant.now();
        for (String runId : dirty) {
            changed.put(runId, ledgers.get(runId).publishing(now));
        }
        ledgers.forEach((runId, ledger) -> {
            if (!changed.containsKey(runId) && ledger.etaMoved(now)) {
                changed.put(runId, ledger.publishing(now));
            }
        });
        dirty.clear();
        return changed;
    }

    private static Long explainMillis(ImageResult image) {
        return image.timing() == null ? null : image.timing().explainMs();
    }

    private static boolean cancelledSkip(Outcome outcome, String reason) {
        return outcome == Outcome.SKIPPED && RunCancelled.SKIP_REASON.equals(reason);
    }

    /** When a stored result was published; the epoch for a record that has no time at all (none is written so). */
    private static Instant producedAt(StoredResult result) {
        return result.producedAt() != null ? result.producedAt() : Instant.EPOCH;
    }

    private RunLedger ledger(String runId) {
        RunLedger ledger = ledgers.get(runId);
        if (ledger == null) {
            ledger = new RunLedger(runId);
            RunLedger loading = ledger;
            records.request(runId).ifPresent(run -> loading.request(run.request(), run.requestedAt()));
            // Oldest first, each at the time its worker published it: completedAt (and the rate) come out
            // as they were, whenever the run is rebuilt.
            List<StoredResult> stored = records.timedResults(runId).stream()
                    .sorted(Comparator.comparing(RunTracker::producedAt))
                    .toList();
            // The cancellation first: it happened before the results it made workers skip.
            Optional<Instant> cancelledAt = records.cancelledAt(runId).or(() -> stored.stream()
                    .filter(r -> cancelledSkip(r.result().outcome(), r.result().reason()))
                    .map(RunTracker::producedAt).findFirst());
            cancelledAt.ifPresent(ledger::cancel);
            for (StoredResult result : stored) {
                ImageResult image = result.result();
                ledger.record(image.tenant(), image.imageId(), image.outcome(), image.reason(), image.imageTotal(),
                        producedAt(result), image.worker(), explainMillis(image));
            }
            ledgers.put(runId, ledger);
        }
        return ledger;
    }
}
