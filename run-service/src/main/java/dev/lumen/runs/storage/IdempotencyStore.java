package dev.lumen.runs.storage;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.lumen.contracts.RunRequested;
import dev.lumen.service.storage.ObjectStore;
import jakarta.enterprise.context.ApplicationScoped;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.util.HexFormat;
import java.util.Optional;

/**
 * What an {@code Idempotency-Key} was used for, per tenant, under
 * {@code idempotency/{tenant}/{sha256(key)}}: hashing keeps any client-chosen text out of object keys.
 */
@ApplicationScoped
public class IdempotencyStore {

    private final ObjectStore store;
    private final ObjectMapper mapper;

    public IdempotencyStore(ObjectStore store, ObjectMapper mapper) {
        this.store = store;
        this.mapper = mapper;
    }

    /** The record is written before the side effect ({@code PENDING}) and again after it ({@code DONE}). */
    public enum State { PENDING, DONE }

    /**
     * One use of a key.
     *
     * @param kind what it created: {@code run} or {@code dataset}
     * @param requestHash SHA-256 of the request, to refuse the same key with another request
     * @param state whether the side effect is known to have happened
     * @param resourceId the run or dataset id
     * @param request the run request to (re)publish, for runs
     * @param response the answer to replay
     * @param createdAt when the key was first used
     */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record Entry(String kind, String requestHash, State state, String resourceId, RunRequested request,
                        JsonNode response, Instant createdAt) {
        public Entry done() {
            return new Entry(kind, requestHash, State.DONE, resourceId, request, response, createdAt);
        }
    }

    /** The entry for a tenant's key, if the key was used. */
    public Optional<Entry> find(String tenant, String key) {
        return store.get(objectKey(tenant, key)).map(bytes -> {
            try {
                return mapper.readerFor(Entry.class).without(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES).readValue(bytes);
            } catch (IOException e) {
                throw new UncheckedIOException("unreadable idempotency record: " + e.getMessage(), e);
            }
        });
    }

    /** Writes (or replaces) the entry for a tenant's key. */
    public void save(String tenant, String key, Entry entry) {
        try {
            store.put(objectKey(tenant, key), mapper.writeValueAsBytes(entry), "application/json");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Forgets a key whose request failed before it created anything. */
    public void remove(String tenant, String key) {
        store.delete(objectKey(tenant, key));
    }

    /** {@code idempotency/{tenant}/{sha256(key)}}. */
    public static String objectKey(String tenant, String key) {
        return "idempotency/" + tenant + "/" + sha256(key.getBytes(StandardCharsets.UTF_8));
    }

    /** Lower-case hex SHA-256. */
    public static String sha256(byte[] bytes) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is part of every JDK", e);
        }
    }
}
