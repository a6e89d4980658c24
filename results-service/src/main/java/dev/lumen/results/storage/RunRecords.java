package dev.lumen.results.storage;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.lumen.contracts.RunRequested;
import dev.lumen.service.storage.ObjectStore;
import jakarta.enterprise.context.ApplicationScoped;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.List;
import java.util.Optional;

/** Reads and writes the stored run request and the stored per-image records of runs. */
@ApplicationScoped
public class RunRecords {

    private final ObjectStore store;
    private final ObjectMapper mapper;

    public RunRecords(ObjectStore store, ObjectMapper mapper) {
        this.store = store;
        this.mapper = mapper;
    }

    /** Stores the run request as received. */
    public void saveRequest(StoredRun run) {
        try {
            store.put(ResultLayout.runRecord(run.request().runId()), mapper.writeValueAsBytes(run), "application/json");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The stored run request, if the run is known. */
    public Optional<StoredRun> request(String runId) {
        return store.get(ResultLayout.runRecord(runId)).map(bytes -> read(bytes, StoredRun.class));
    }

    /** Every stored image record of the run. */
    public List<StoredResult> results(String runId) {
        return store.list(ResultLayout.imagesPrefix(runId)).stream()
                .filter(key -> key.endsWith("/result.json"))
                .map(key -> store.get(key).map(bytes -> read(bytes, StoredResult.class)).orElse(null))
                .filter(r -> r != null)
                .toList();
    }

    /**
     * Every stored image record of the run, each with the time its result was published: records
     * written before that time was stored get the time their object was written, which is at most
     * the time it took to store the maps later.
     */
    public List<StoredResult> timedResults(String runId) {
        return store.list(ResultLayout.imagesPrefix(runId)).stream()
                .filter(key -> key.endsWith("/result.json"))
                .map(key -> store.get(key).map(bytes -> timed(key, read(bytes, StoredResult.class))).orElse(null))
                .filter(r -> r != null)
                .toList();
    }

    /** When the run's cancellation marker was written, if it exists. */
    public Optional<java.time.Instant> cancelledAt(String runId) {
        return store.lastModified(dev.lumen.contracts.RunCancelled.markerKey(runId));
    }

    private StoredResult timed(String key, StoredResult result) {
        if (result.producedAt() != null) {
            return result;
        }
        return store.lastModified(key)
                .map(at -> new StoredResult(result.result(), result.explanations(), at))
                .orElse(result);
    }

    /** The stored image record, if any. */
    public Optional<StoredResult> result(String runId, String imageId) {
        return store.get(ResultLayout.resultRecord(runId, imageId)).map(bytes -> read(bytes, StoredResult.class));
    }

    /** Ids of every run with a stored request. */
    public List<String> runIds() {
        return store.list("runs/").stream()
                .filter(key -> key.endsWith("/run.json") && key.split("/").length == 3)
                .map(key -> key.split("/")[1])
                .toList();
    }

    private <T> T read(byte[] bytes, Class<T> type) {
        try {
            return mapper.readValue(bytes, type);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * A run request and when it arrived.
     *
     * @param request the request
     * @param requestedAt the event time
     */
    public record StoredRun(RunRequested request, java.time.Instant requestedAt) {
    }
}
