package dev.lumen.results.progress;

import dev.lumen.contracts.RunProgress;
import dev.lumen.contracts.RunRequested;
import dev.lumen.results.storage.RunRecords;
import dev.lumen.results.storage.StoredResult;
import jakarta.enterprise.context.ApplicationScoped;

import java.time.Instant;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Progress of every run this service has seen. A run not in memory (after a restart) is rebuilt from
 * the records in object storage, which are written before an event is acknowledged, so counts stay
 * exact across restarts and redeliveries.
 */
@ApplicationScoped
public class RunTracker {

    private final RunRecords records;
    private final Map<String, RunLedger> ledgers = new HashMap<>();
    private final Set<String> dirty = new LinkedHashSet<>();

    public RunTracker(RunRecords records) {
        this.records = records;
    }

    /**
     * Notes a run request.
     *
     * @return the run's progress when its state changed (to be published now), else empty
     */
    public synchronized Optional<RunProgress> requested(RunRequested request, Instant at) {
        RunLedger ledger = ledger(request.runId());
        var before = ledger.hasRequest() ? ledger.state() : null;
        ledger.request(request, at);
        dirty.add(request.runId());
        return before != ledger.state() ? Optional.of(ledger.snapshot(Instant.now())) : Optional.empty();
    }

    /**
     * Notes a stored image result.
     *
     * @return the run's progress when its state changed (to be published now), else empty
     */
    public synchronized Optional<RunProgress> recorded(StoredResult result, Instant at) {
        RunLedger ledger = ledger(result.runId());
        var before = ledger.state();
        if (!ledger.record(result.imageId(), result.outcome(), result.reason(), result.imageTotal(), at)) {
            return Optional.empty();
        }
        dirty.add(result.runId());
        return before != ledger.state() ? Optional.of(ledger.snapshot(Instant.now())) : Optional.empty();
    }

    /** Whether the image already has a recorded outcome (loading the run from storage if needed). */
    public synchronized boolean hasOutcome(String runId, String imageId) {
        return ledger(runId).has(imageId);
    }

    /** The run's progress, loading it from storage if needed; empty for an unknown run. */
    public synchronized Optional<RunProgress> progress(String runId) {
        RunLedger ledger = ledger(runId);
        if (!ledger.hasRequest() && ledger.total() == 0) {
            ledgers.remove(runId);
            return Optional.empty();
        }
        return Optional.of(ledger.snapshot(Instant.now()));
    }

    /** Progress of the runs changed since the last call, for periodic publishing. */
    public synchronized Map<String, RunProgress> drainChanged() {
        Map<String, RunProgress> changed = new HashMap<>();
        Instant now = Instant.now();
        for (String runId : dirty) {
            changed.put(runId, ledgers.get(runId).snapshot(now));
        }
        dirty.clear();
        return changed;
    }

    private RunLedger ledger(String runId) {
        RunLedger ledger = ledgers.get(runId);
        if (ledger == null) {
            ledger = new RunLedger(runId);
            RunLedger loading = ledger;
            records.request(runId).ifPresent(run -> loading.request(run.request(), run.requestedAt()));
            for (StoredResult stored : records.results(runId)) {
                ledger.record(stored.imageId(), stored.outcome(), stored.reason(), stored.imageTotal(), Instant.now());
            }
            ledgers.put(runId, ledger);
        }
        return ledger;
    }
}
