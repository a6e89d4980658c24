package dev.lumen.contracts;

import com.fasterxml.jackson.annotation.JsonInclude;

import java.time.Instant;
import java.util.Map;

/**
 * Data of {@code dev.lumen.run.progress.v1} on the compacted {@link Topics#RUN_PROGRESS}: the latest
 * state of one run. Key: run id, so the topic keeps every run's last state.
 *
 * @param runId the run
 * @param tenant tenant that owns the run
 * @param name run name
 * @param method explanation method
 * @param modelId model explained
 * @param datasetId dataset sampled
 * @param state lifecycle state
 * @param total images sampled (or requested, until the first result says otherwise)
 * @param explained images with at least one map
 * @param skipped images skipped
 * @param failed images failed
 * @param imagesPerSecond recent throughput
 * @param etaSeconds estimated seconds to completion, null when unknown or done
 * @param skipReasons count per skip reason
 * @param failureReasons count per failure reason
 * @param requestedAt when the run was requested
 * @param updatedAt when this state was computed
 * @param completedAt when the run reached a terminal state
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record RunProgress(
        String runId,
        String tenant,
        String name,
        String method,
        String modelId,
        String datasetId,
        RunState state,
        int total,
        int explained,
        int skipped,
        int failed,
        double imagesPerSecond,
        Long etaSeconds,
        Map<String, Integer> skipReasons,
        Map<String, Integer> failureReasons,
        Instant requestedAt,
        Instant updatedAt,
        Instant completedAt) {

    /** Images with an outcome of any kind. */
    public int done() {
        return explained + skipped + failed;
    }
}
