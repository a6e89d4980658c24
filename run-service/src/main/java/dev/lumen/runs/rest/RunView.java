package dev.lumen.runs.rest;

import com.fasterxml.jackson.annotation.JsonInclude;
import dev.lumen.contracts.RunProgress;
import dev.lumen.contracts.RunRequested;
import dev.lumen.contracts.RunState;
import dev.lumen.runs.domain.ImageSampler;
import dev.lumen.runs.domain.RunRecord;

import java.time.Instant;
import java.util.Map;

/**
 * A run as {@code GET /api/runs/{id}} shows it.
 *
 * @param runId the run
 * @param name its name
 * @param state lifecycle state
 * @param method the explanation method's catalogue id ({@code GET /api/methods})
 * @param model model id
 * @param dataset dataset id
 * @param imageCount images requested
 * @param seed sampling seed (given, chosen, or derived from the run id for requests without one)
 * @param allowFewer whether fewer images than requested were allowed
 * @param parameters method parameters as requested (checked against the catalogue when accepted)
 * @param counts images by outcome
 * @param imagesPerSecond recent throughput
 * @param etaSeconds estimated seconds to completion; absent when unknown or finished
 * @param skipReasons skipped images per reason
 * @param failureReasons failed images per reason
 * @param requestedAt when it was requested
 * @param updatedAt when results-service last reported on it
 * @param completedAt when it reached a terminal state
 * @param cancelledAt when it was cancelled
 * @param links where its results are
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record RunView(String runId, String name, RunState state, String method, String model, String dataset,
                      Integer imageCount, Long seed, Boolean allowFewer, Map<String, Object> parameters,
                      Counts counts, Double imagesPerSecond, Long etaSeconds, Map<String, Integer> skipReasons,
                      Map<String, Integer> failureReasons, Instant requestedAt, Instant updatedAt,
                      Instant completedAt, Instant cancelledAt, Map<String, String> links) {

    /**
     * Images by outcome.
     *
     * @param total images in the run
     * @param explained with at least one map
     * @param skipped skipped (cancelled runs skip their remaining images)
     * @param failed failed
     * @param done with any outcome
     */
    public record Counts(int total, int explained, int skipped, int failed, int done) {
    }

    /** The view of {@code run}, its results linked under {@code resultsBaseUrl}. */
    public static RunView of(RunRecord run, String resultsBaseUrl) {
        RunRequested request = run.request();
        RunProgress progress = run.progress();
        int explained = progress == null ? 0 : progress.explained();
        int skipped = progress == null ? 0 : progress.skipped();
        int failed = progress == null ? 0 : progress.failed();
        RunState state = run.state();
        Long seed = request == null ? null
                : request.seed() != null ? request.seed() : ImageSampler.seedFromRunId(request.runId());
        return new RunView(run.runId(),
                request != null ? request.name() : progress.name(),
                state,
                request != null ? request.method() : progress.method(),
                request != null ? request.model().id() : progress.modelId(),
                request != null ? request.dataset().id() : progress.datasetId(),
                request == null ? null : request.imageCount(),
                seed,
                request == null ? null : request.allowFewer(),
                request == null ? null : request.parameters(),
                new Counts(run.total(), explained, skipped, failed, explained + skipped + failed),
                progress == null ? null : progress.imagesPerSecond(),
                progress == null || state.terminal() ? null : progress.etaSeconds(),
                progress == null ? null : progress.skipReasons(),
                progress == null ? null : progress.failureReasons(),
                run.requested(),
                progress == null ? null : progress.updatedAt(),
                progress == null ? null : progress.completedAt(),
                run.cancelledAt(),
                Map.of("self", "/api/runs/" + run.runId(),
                        "results", resultsBaseUrl + "/api/runs/" + run.runId()));
    }
}
