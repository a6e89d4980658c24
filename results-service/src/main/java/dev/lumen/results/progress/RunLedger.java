package dev.lumen.results.progress;

import dev.lumen.contracts.Outcome;
import dev.lumen.contracts.RunProgress;
import dev.lumen.contracts.RunRequested;
import dev.lumen.contracts.RunState;

import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.TreeMap;

/**
 * The bookkeeping of one run: which images have which outcome. Counting per image id makes the counts
 * exact however often or in whatever order events arrive; the state is derived from the counts and
 * from a cancellation. A cancellation recorded before the last outcome makes the run CANCELLED for
 * good; images that get an outcome after it (workers skip them with "run cancelled") are still
 * counted, so the counts add up. A cancellation that comes after the run finished is void.
 * Not thread-safe: {@link RunTracker} guards it.
 */
final class RunLedger {

    private final String runId;
    private RunRequested request;
    /** The tenant named by the results, for the time before the request arrives. */
    private String resultTenant;
    private Instant requestedAt;
    private Instant firstOutcomeAt;
    private Instant completedAt;
    private Integer sampledTotal;
    private Instant cancelledAt;
    private final Map<String, Recorded> outcomes = new HashMap<>();
    private final EtaEstimator eta = new EtaEstimator();
    /** The last snapshot handed out for publishing: readers between two publications get it too. */
    private RunProgress published;

    RunLedger(String runId) {
        this.runId = runId;
    }

    void request(RunRequested request, Instant at) {
        this.request = request;
        this.requestedAt = at;
    }

    boolean hasRequest() {
        return request != null;
    }

    /**
     * Records an image's outcome; false when the image already had one (a redelivery).
     *
     * @param worker the worker that produced it (null when unknown)
     * @param explainMillis the explanation time the worker measured (null when none)
     */
    boolean record(String tenant, String imageId, Outcome outcome, String reason, int imageTotal, Instant at,
                   String worker, Long explainMillis) {
        sampledTotal = imageTotal;
        if (resultTenant == null) {
            resultTenant = tenant;
        }
        if (outcomes.containsKey(imageId)) {
            return false;
        }
        outcomes.put(imageId, new Recorded(outcome, reason));
        eta.completed(worker, at, explainMillis);
        if (firstOutcomeAt == null || at.isBefore(firstOutcomeAt)) {
            firstOutcomeAt = at;
        }
        if (state().terminal() && completedAt == null) {
            completedAt = at;
        }
        return true;
    }

    /**
     * Records a cancellation.
     *
     * @return true when it changed the run; false when the run was already cancelled or had finished
     *     (then the cancellation is void)
     */
    boolean cancel(Instant at) {
        if (cancelledAt != null || state().terminal()) {
            return false;
        }
        cancelledAt = at;
        if (completedAt == null) {
            completedAt = at;
        }
        return true;
    }

    boolean cancelled() {
        return cancelledAt != null;
    }

    /** Images with an outcome. */
    int done() {
        return outcomes.size();
    }

    boolean has(String imageId) {
        return outcomes.containsKey(imageId);
    }

    int total() {
        if (sampledTotal != null) {
            return sampledTotal;
        }
        return request == null ? 0 : request.imageCount();
    }

    int count(Outcome outcome) {
        return (int) outcomes.values().stream().filter(r -> r.outcome() == outcome).count();
    }

    RunState state() {
        if (cancelledAt != null) {
            return RunState.CANCELLED;
        }
        int done = outcomes.size();
        int total = total();
        if (done == 0) {
            return RunState.QUEUED;
        }
        if (total == 0 || done < total) {
            return RunState.RUNNING;
        }
        int explained = count(Outcome.EXPLAINED);
        if (explained == total) {
            return RunState.COMPLETED;
        }
        return explained == 0 && count(Outcome.FAILED) > 0 ? RunState.FAILED : RunState.COMPLETED_WITH_SKIPS;
    }

    RunProgress snapshot(Instant now) {
        int explained = count(Outcome.EXPLAINED);
        int skipped = count(Outcome.SKIPPED);
        int failed = count(Outcome.FAILED);
        int done = explained + skipped + failed;
        RunState state = state();
        int remaining = Math.max(0, total() - done);
        double rate;
        if (state.terminal()) {
            // A finished run's throughput is the whole run's: what the next run of its kind can expect.
            Instant since = requestedAt != null ? requestedAt : firstOutcomeAt;
            Instant until = completedAt != null ? completedAt : now;
            double seconds = since == null ? 0 : Math.max(0.001, Duration.between(since, until).toMillis() / 1000.0);
            rate = seconds == 0 ? 0 : done / seconds;
        } else {
            rate = eta.imagesPerSecond(remaining);
        }
        Long etaSeconds = etaSeconds(now);
        return new RunProgress(runId,
                request == null ? resultTenant : request.tenant(),
                request == null ? null : request.name(),
                request == null ? null : request.method(),
                request == null ? null : request.model().id(),
                request == null ? null : request.dataset().id(),
                state, total(), explained, skipped, failed, Math.round(rate * 1000) / 1000.0, etaSeconds,
                reasons(Outcome.SKIPPED), reasons(Outcome.FAILED), requestedAt, now, completedAt);
    }

    /** The estimate at {@code now} (see {@link EtaEstimator}); null when finished or not yet known. */
    Long etaSeconds(Instant now) {
        if (state().terminal() || total() == 0) {
            return null;
        }
        return eta.etaSeconds(Math.max(0, total() - outcomes.size()), now);
    }

    /** The snapshot to publish now, remembered for readers until the next one (see {@link #published()}). */
    RunProgress publishing(Instant now) {
        published = snapshot(now);
        return published;
    }

    /** The last snapshot handed out for publishing, null before the first. */
    RunProgress published() {
        return published;
    }

    /**
     * Whether a running run's ETA has counted down since its last published snapshot: then it is
     * published again although no image completed, so that every reader shows the same number.
     */
    boolean etaMoved(Instant now) {
        return published != null && published.etaSeconds() != null && !published.etaSeconds().equals(etaSeconds(now));
    }

    private Map<String, Integer> reasons(Outcome outcome) {
        Map<String, Integer> counts = new TreeMap<>();
        outcomes.values().stream().filter(r -> r.outcome() == outcome)
                .forEach(r -> counts.merge(r.reason() == null ? "unknown" : r.reason(), 1, Integer::sum));
        return counts;
    }

    private record Recorded(Outcome outcome, String reason) {
    }
}
