package dev.lumen.contracts;

/** Lifecycle of a run: QUEUED, RUNNING, then one terminal state. */
public enum RunState {
    QUEUED, RUNNING, COMPLETED, COMPLETED_WITH_SKIPS, FAILED, CANCELLED;

    /** Whether no further transition can happen. */
    public boolean terminal() {
        return this != QUEUED && this != RUNNING;
    }
}
