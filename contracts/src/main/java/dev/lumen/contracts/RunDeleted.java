package dev.lumen.contracts;

/**
 * Data of {@code dev.lumen.run.deleted.v1} on {@link Topics#RUN_REQUESTS}: a finished run and its stored
 * results were removed. Key: run id. Consumers forget the run; the producer also writes a tombstone
 * (null value) for the run id on the compacted {@link Topics#RUN_PROGRESS}.
 *
 * @param runId the deleted run
 * @param tenant tenant that owned the run
 */
public record RunDeleted(String runId, String tenant) {
}
