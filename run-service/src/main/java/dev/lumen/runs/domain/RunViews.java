package dev.lumen.runs.domain;

import dev.lumen.contracts.RunProgress;
import dev.lumen.contracts.RunRequested;
import dev.lumen.contracts.RunState;
import jakarta.enterprise.context.ApplicationScoped;

import java.time.Instant;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Predicate;

/**
 * run-service's own view of every run, built from the events it consumes: requests, cancellations and
 * deletions on {@code lumen.run-requests}, and the compacted {@code lumen.run-progress}. Each instance
 * reads both topics from the beginning when it starts, so the view survives restarts without a
 * database. Events may come twice or out of order: requests and cancellations are idempotent, and
 * of two progress snapshots the later {@code updatedAt} wins. A deleted run stays deleted whatever
 * arrives for it later.
 */
@ApplicationScoped
public class RunViews {

    private static final Comparator<RunRecord> NEWEST_FIRST = Comparator
            .comparing(RunRecord::requested, Comparator.nullsLast(Comparator.reverseOrder()))
            .thenComparing(RunRecord::runId);

    private final Map<String, RunRecord> runs = new ConcurrentHashMap<>();
    private final Set<String> deleted = ConcurrentHashMap.newKeySet();

    /** Notes a request seen on the topic. */
    public void requested(RunRequested request, Instant at) {
        accepted(request, at, null);
    }

    /** Notes a request this instance accepted, with the size of its plan. */
    public void accepted(RunRequested request, Instant at, Integer plannedImages) {
        if (deleted.contains(request.runId())) {
            return;
        }
        runs.compute(request.runId(), (id, old) -> old == null
                ? new RunRecord(id, request, at, plannedImages, null, null)
                : old.withRequest(request, old.requestedAt() != null ? old.requestedAt() : at, plannedImages));
    }

    /**
     * Notes a progress snapshot.
     *
     * @return false when the run is deleted (the snapshot is stale and ignored)
     */
    public boolean progressed(RunProgress progress) {
        if (deleted.contains(progress.runId())) {
            return false;
        }
        runs.compute(progress.runId(), (id, old) -> {
            if (old == null) {
                return new RunRecord(id, null, null, null, progress, null);
            }
            RunProgress current = old.progress();
            if (current != null && progress.updatedAt() != null && current.updatedAt() != null
                    && progress.updatedAt().isBefore(current.updatedAt())) {
                return old;
            }
            return old.withProgress(progress);
        });
        return true;
    }

    /** Notes a cancellation. */
    public void cancelled(String runId, Instant at) {
        if (deleted.contains(runId)) {
            return;
        }
        runs.compute(runId, (id, old) -> old == null ? new RunRecord(id, null, null, null, null, at)
                : old.withCancellation(at));
    }

    /** Forgets a run for good. */
    public void deleted(String runId) {
        deleted.add(runId);
        runs.remove(runId);
    }

    /** Whether the run was deleted. */
    public boolean isDeleted(String runId) {
        return deleted.contains(runId);
    }

    /** The run, if {@code tenant} owns it; other tenants' runs do not exist for the caller. */
    public Optional<RunRecord> find(String tenant, String runId) {
        return Optional.ofNullable(runs.get(runId)).filter(run -> tenant.equals(run.tenant()));
    }

    /** The tenant's runs that pass {@code filter}, newest first. */
    public List<RunRecord> list(String tenant, Predicate<RunRecord> filter) {
        return runs.values().stream()
                .filter(run -> tenant.equals(run.tenant()))
                .filter(filter)
                .sorted(NEWEST_FIRST)
                .toList();
    }

    /** How many known runs (of every tenant, deleted ones not counted) are in {@code state}. */
    public long count(RunState state) {
        return runs.values().stream().filter(run -> run.state() == state).count();
    }
}
