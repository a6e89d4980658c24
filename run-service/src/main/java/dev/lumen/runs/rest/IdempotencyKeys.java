package dev.lumen.runs.rest;

import dev.lumen.runs.storage.IdempotencyStore;
import dev.lumen.service.rest.Problem;
import dev.lumen.service.rest.ProblemException;
import jakarta.enterprise.context.ApplicationScoped;

import java.util.List;
import java.util.Optional;
import java.util.function.Supplier;
import java.util.regex.Pattern;

/**
 * {@code Idempotency-Key} handling shared by the POST endpoints: checks the key, serialises requests
 * that use the same key on this instance, and tells a replay from a new request or a misuse.
 *
 * <p>Across instances two first attempts with the same key can still race (object storage has no
 * create-if-absent here); clients retry one attempt at a time, so that window is accepted.
 */
@ApplicationScoped
public class IdempotencyKeys {

    /** The header clients send. */
    public static final String HEADER = "Idempotency-Key";
    /** Set on an answer that replays an earlier one. */
    public static final String REPLAYED = "Idempotent-Replayed";

    private static final Pattern KEY = Pattern.compile("^[\\x21-\\x7E]{1,200}$");
    private static final int STRIPES = 64;

    private final IdempotencyStore store;
    private final Object[] locks = new Object[STRIPES];

    public IdempotencyKeys(IdempotencyStore store) {
        this.store = store;
        for (int i = 0; i < STRIPES; i++) {
            locks[i] = new Object();
        }
    }

    /**
     * Runs {@code work} while no other request with the same tenant and key runs here.
     *
     * @throws ProblemException 400 for a key that is not 1-200 visible ASCII characters
     */
    public <T> T locked(String tenant, String key, Supplier<T> work) {
        check(key);
        synchronized (locks[Math.floorMod((tenant + '\n' + key).hashCode(), STRIPES)]) {
            return work.get();
        }
    }

    /**
     * The earlier use of the key, if any, after checking it was for the same kind of request with the
     * same content.
     *
     * @throws ProblemException 422 when the key was used for a different request
     */
    public Optional<IdempotencyStore.Entry> earlier(String tenant, String key, String kind, String requestHash) {
        Optional<IdempotencyStore.Entry> entry = store.find(tenant, key);
        entry.ifPresent(e -> {
            if (!kind.equals(e.kind()) || !requestHash.equals(e.requestHash())) {
                throw new ProblemException(422, "idempotency-key-reused", "Request cannot be carried out",
                        "this Idempotency-Key was used for a different request; use a new key for a new request",
                        List.of(new Problem.FieldProblem(HEADER, "already used for a different request")));
            }
        });
        return entry;
    }

    private static void check(String key) {
        if (!KEY.matcher(key).matches()) {
            throw ProblemException.badField(HEADER, "must be 1-200 visible ASCII characters");
        }
    }
}
