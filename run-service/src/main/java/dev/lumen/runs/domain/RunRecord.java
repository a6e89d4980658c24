package dev.lumen.runs.domain;

import dev.lumen.contracts.RunProgress;
import dev.lumen.contracts.RunRequested;
import dev.lumen.contracts.RunState;

import java.time.Instant;

/**
 * What run-service knows of one run: the request it saw (REST or another service), the latest
 * progress results-service published, and whether it was cancelled. Immutable; {@link RunViews}
 * replaces it on every event.
 *
 * @param runId the run
 * @param request the request, null while only progress has been seen
 * @param requestedAt when it was requested (event time)
 * @param plannedImages images the accepted plan holds, when this instance accepted the run
 * @param progress the latest progress snapshot (by {@code updatedAt}), null until the first
 * @param cancelledAt when a cancellation was seen, null if none
 */
public record RunRecord(String runId, RunRequested request, Instant requestedAt, Integer plannedImages,
                        RunProgress progress, Instant cancelledAt) {

    /** The owning tenant, from the request or the progress; null when neither tells. */
    public String tenant() {
        if (request != null) {
            return request.tenant();
        }
        return progress == null ? null : progress.tenant();
    }

    /**
     * The state: results-service's terminal state when it reported one; CANCELLED as soon as a
     * cancellation was seen (results-service confirms it later); otherwise the reported state, and
     * QUEUED before any report.
     */
    public RunState state() {
        if (progress != null && progress.state().terminal()) {
            return progress.state();
        }
        if (cancelledAt != null) {
            return RunState.CANCELLED;
        }
        return progress == null ? RunState.QUEUED : progress.state();
    }

    /** Images in the run: reported by results-service, else planned, else requested. */
    public int total() {
        if (progress != null && progress.total() > 0) {
            return progress.total();
        }
        if (plannedImages != null) {
            return plannedImages;
        }
        return request == null ? 0 : request.imageCount();
    }

    /** When the run was requested, whichever source said so. */
    public Instant requested() {
        if (requestedAt != null) {
            return requestedAt;
        }
        return progress == null ? null : progress.requestedAt();
    }

    RunRecord withRequest(RunRequested newRequest, Instant at, Integer planned) {
        return new RunRecord(runId, newRequest, at, planned != null ? planned : plannedImages, progress, cancelledAt);
    }

    RunRecord withProgress(RunProgress newProgress) {
        return new RunRecord(runId, request, requestedAt, plannedImages, newProgress, cancelledAt);
    }

    RunRecord withCancellation(Instant at) {
        return new RunRecord(runId, request, requestedAt, plannedImages, progress, cancelledAt != null ? cancelledAt : at);
    }
}
