package dev.lumen.contracts;

import com.fasterxml.jackson.annotation.JsonInclude;

/**
 * Data of {@code dev.lumen.run.cancelled.v1} on {@link Topics#RUN_REQUESTS}: the run's owner cancelled
 * it. Key: run id, so the event follows the run's request on the same partition.
 *
 * <p>Before publishing, the producer writes the marker object {@link #markerKey(String)}; workers check
 * it before each task (a cheap existence check) and answer with a {@code SKIPPED} result whose reason
 * is {@link #SKIP_REASON}, so every image still gets exactly one outcome.
 *
 * @param runId the cancelled run
 * @param tenant tenant that owns the run
 * @param reason why, as the requester gave it
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record RunCancelled(String runId, String tenant, String reason) {

    /** The reason of the SKIPPED result a worker returns for a task of a cancelled run. */
    public static final String SKIP_REASON = "run cancelled";

    /** Object-storage key of the marker that tells workers a run is cancelled. */
    public static String markerKey(String runId) {
        return "runs/" + runId + "/cancelled";
    }
}
