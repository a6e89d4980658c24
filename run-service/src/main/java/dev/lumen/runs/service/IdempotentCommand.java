package dev.lumen.runs.service;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.lumen.contracts.RunRequested;
import dev.lumen.runs.storage.IdempotencyStore;
import dev.lumen.service.rest.Problem;
import dev.lumen.service.rest.ProblemException;
import jakarta.enterprise.context.ApplicationScoped;
import org.jboss.logging.Logger;

import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.function.Function;
import java.util.function.Supplier;
import java.util.regex.Pattern;

/**
 * Carries out a command that creates something (a run, a dataset) at most once per
 * {@code Idempotency-Key}: the key is recorded ({@code PENDING}) before the side effect and again
 * ({@code DONE}, with the answer) after it. A retry with the same request replays the answer; a retry
 * of an attempt that stopped half-way finishes it under the same resource id; the same key with another
 * request is refused. Requests with the same tenant and key are serialised on this instance.
 *
 * <p>Across instances two first attempts with the same key can still race (object storage has no
 * create-if-absent here); clients retry one attempt at a time, so that window is accepted.
 */
@ApplicationScoped
public class IdempotentCommand {

    /** The header that carries the key, and the field a bad key is reported under. */
    public static final String KEY_HEADER = "Idempotency-Key";

    private static final Logger LOG = Logger.getLogger(IdempotentCommand.class);
    private static final Pattern KEY = Pattern.compile("^[\\x21-\\x7E]{1,200}$");
    private static final int STRIPES = 64;

    private final IdempotencyStore store;
    private final ObjectMapper mapper;
    private final Object[] locks = new Object[STRIPES];

    public IdempotentCommand(IdempotencyStore store, ObjectMapper mapper) {
        this.store = store;
        this.mapper = mapper;
        for (int i = 0; i < STRIPES; i++) {
            locks[i] = new Object();
        }
    }

    /**
     * What a command is made of.
     *
     * @param kind what it creates, recorded with the key ({@code run}, {@code dataset}): a key used for
     *     one kind is refused for another
     * @param answerType the answer's type, to read a recorded answer back
     * @param requestHash the request's digest; only computed when a key is given
     * @param prepare checks the request and decides the resource id (and, when it is known before the
     *     side effect, the answer); throws the problem for a bad request before anything is recorded
     * @param complete the side effect: creates the resource and returns the answer; run again with the
     *     same {@link Prepared} when an interrupted attempt is retried, so it must converge
     * @param <A> the answer
     */
    public record Steps<A>(String kind, Class<A> answerType, Supplier<String> requestHash,
                           Supplier<Prepared<A>> prepare, Function<Prepared<A>, A> complete) {
    }

    /**
     * A checked request, about to be carried out.
     *
     * @param resourceId the id of what it creates
     * @param request the run request to (re)publish, for runs; null otherwise
     * @param answer the answer when it is known before the side effect (a run's); null when the side
     *     effect makes it (a dataset's)
     * @param <A> the answer
     */
    public record Prepared<A>(String resourceId, RunRequested request, A answer) {
    }

    /**
     * What the client is told.
     *
     * @param answer the answer
     * @param replayed whether it is an earlier attempt's recorded answer
     * @param <A> the answer
     */
    public record Outcome<A>(A answer, boolean replayed) {
    }

    /**
     * Carries out {@code steps} once for {@code key} (every time when {@code key} is null).
     *
     * @throws ProblemException 400 for a key that is not 1-200 visible ASCII characters, 422
     *     {@code idempotency-key-reused} when the key was used for a different request, and whatever
     *     {@code prepare} or {@code complete} throw; when {@code complete} throws a problem nothing was
     *     created, so the key is forgotten and stays free for a corrected request
     */
    public <A> Outcome<A> run(String tenant, String key, Steps<A> steps) {
        if (key == null) {
            return new Outcome<>(steps.complete().apply(steps.prepare().get()), false);
        }
        String hash = steps.requestHash().get();
        check(key);
        synchronized (locks[Math.floorMod((tenant + '\n' + key).hashCode(), STRIPES)]) {
            Optional<IdempotencyStore.Entry> earlier = earlier(tenant, key, steps.kind(), hash);
            if (earlier.isPresent() && earlier.get().state() == IdempotencyStore.State.DONE) {
                return new Outcome<>(answer(earlier.get(), steps.answerType()), true);
            }
            IdempotencyStore.Entry pending;
            Prepared<A> prepared;
            if (earlier.isPresent()) {
                pending = earlier.get();
                LOG.infof("%s %s: completing an interrupted request (Idempotency-Key replay)", pending.kind(),
                        pending.resourceId());
                prepared = new Prepared<>(pending.resourceId(), pending.request(),
                        pending.response() == null ? null : answer(pending, steps.answerType()));
            } else {
                prepared = steps.prepare().get();
                pending = new IdempotencyStore.Entry(steps.kind(), hash, IdempotencyStore.State.PENDING,
                        prepared.resourceId(), prepared.request(),
                        prepared.answer() == null ? null : mapper.valueToTree(prepared.answer()), Instant.now());
                // Recorded before the side effect: a crash after it leaves a key that finds the resource.
                store.save(tenant, key, pending);
            }
            A answer;
            try {
                answer = steps.complete().apply(prepared);
            } catch (ProblemException e) {
                store.remove(tenant, key);
                throw e;
            }
            store.save(tenant, key, new IdempotencyStore.Entry(pending.kind(), hash, IdempotencyStore.State.DONE,
                    pending.resourceId(), pending.request(), mapper.valueToTree(answer), pending.createdAt()));
            // Finishing an interrupted attempt answers what that attempt recorded, if it recorded an answer.
            return new Outcome<>(answer, earlier.isPresent() && prepared.answer() != null);
        }
    }

    /** The SHA-256 of a request body's JSON, to tell a retry from another request under the same key. */
    public String digest(Object body) {
        try {
            return IdempotencyStore.sha256(mapper.writeValueAsBytes(body));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot write a request as JSON", e);
        }
    }

    /** The earlier use of the key, after checking it was for the same kind of request with the same content. */
    private Optional<IdempotencyStore.Entry> earlier(String tenant, String key, String kind, String requestHash) {
        Optional<IdempotencyStore.Entry> entry = store.find(tenant, key);
        entry.ifPresent(e -> {
            if (!kind.equals(e.kind()) || !requestHash.equals(e.requestHash())) {
                throw new ProblemException(422, "idempotency-key-reused", "Request cannot be carried out",
                        "this Idempotency-Key was used for a different request; use a new key for a new request",
                        List.of(new Problem.FieldProblem(KEY_HEADER, "already used for a different request")));
            }
        });
        return entry;
    }

    private <A> A answer(IdempotencyStore.Entry entry, Class<A> type) {
        return mapper.convertValue(entry.response(), type);
    }

    private static void check(String key) {
        if (!KEY.matcher(key).matches()) {
            throw ProblemException.badField(KEY_HEADER, "must be 1-200 visible ASCII characters");
        }
    }
}
