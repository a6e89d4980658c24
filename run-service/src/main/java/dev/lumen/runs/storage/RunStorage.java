package dev.lumen.runs.storage;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.lumen.contracts.RunCancelled;
import dev.lumen.service.storage.ObjectStore;
import jakarta.enterprise.context.ApplicationScoped;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;

/** What run-service writes under a run's prefix {@code runs/{runId}/}: the cancel marker, and deletion. */
@ApplicationScoped
public class RunStorage {

    private final ObjectStore store;
    private final ObjectMapper mapper;

    public RunStorage(ObjectStore store, ObjectMapper mapper) {
        this.store = store;
        this.mapper = mapper;
    }

    /** Writes {@code runs/{runId}/cancelled}, which workers check before each task. */
    public void markCancelled(String runId, String tenant, String reason, Instant at) {
        Map<String, Object> marker = new LinkedHashMap<>();
        marker.put("runId", runId);
        marker.put("tenant", tenant);
        marker.put("cancelledAt", at.toString());
        if (reason != null) {
            marker.put("reason", reason);
        }
        try {
            store.put(RunCancelled.markerKey(runId), mapper.writeValueAsBytes(marker), "application/json");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * Removes everything stored for the run (request record, results, maps) but its cancel marker, which
     * stays so that tasks still queued for a cancelled run keep being skipped; returns the count.
     */
    public int deleteRun(String runId) {
        String marker = RunCancelled.markerKey(runId);
        int removed = 0;
        for (String key : store.list("runs/" + runId + "/")) {
            if (!key.equals(marker)) {
                store.delete(key);
                removed++;
            }
        }
        return removed;
    }
}
