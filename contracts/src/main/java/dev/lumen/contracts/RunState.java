package dev.lumen.contracts;

/**
 * Lifecycle of a run: QUEUED, RUNNING, then one terminal state. {@code COMPLETED}: every image explained;
 * {@code FAILED}: none explained and at least one failed; {@code COMPLETED_WITH_SKIPS}: completed with
 * some images not explained, skipped or failed (the counts and reasons say which; decision 0027);
 * {@code CANCELLED}.
 */
public enum RunState {
    QUEUED, RUNNING, COMPLETED, COMPLETED_WITH_SKIPS, FAILED, CANCELLED;

    /** Whether no further transition can happen. */
    public boolean terminal() {
        return this != QUEUED && this != RUNNING;
    }
}
