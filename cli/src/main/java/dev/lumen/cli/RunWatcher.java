package dev.lumen.cli;

import com.fasterxml.jackson.databind.JsonNode;

import java.time.Duration;
import java.time.Instant;
import java.util.Set;

/** Follows a run until it reaches a terminal state, drawing its progress. */
public final class RunWatcher {

    private static final Set<String> TERMINAL = Set.of("COMPLETED", "COMPLETED_WITH_SKIPS", "FAILED", "CANCELLED");

    private final RunClient client;

    public RunWatcher(RunClient client) {
        this.client = client;
    }

    /** Polls the run twice a second; returns its final view. */
    public JsonNode follow(String runId, ProgressBar bar, Duration timeout) {
        Instant deadline = Instant.now().plus(timeout);
        while (true) {
            JsonNode run = tryGet(runId);
            if (run != null) {
                bar.show(run.path("progress"));
                if (TERMINAL.contains(run.path("progress").path("state").asText())) {
                    bar.finish();
                    return run;
                }
            }
            if (Instant.now().isAfter(deadline)) {
                bar.finish();
                throw new CliException("run " + runId + " did not finish within " + timeout.toMinutes() + " min");
            }
            try {
                Thread.sleep(500);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new CliException("interrupted");
            }
        }
    }

    /** The run, or null while results-service has not seen it yet. */
    private JsonNode tryGet(String runId) {
        try {
            return client.get(runId);
        } catch (CliException e) {
            if (e.getMessage().contains(" 404")) {
                return null;
            }
            throw e;
        }
    }
}
