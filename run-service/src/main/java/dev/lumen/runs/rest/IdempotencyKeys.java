package dev.lumen.runs.rest;

import dev.lumen.runs.service.IdempotentCommand;
import jakarta.ws.rs.core.Response;

/**
 * The HTTP side of {@code Idempotency-Key} (the protocol is {@link IdempotentCommand}'s): the header
 * clients send, and the header that marks a replayed answer.
 */
public final class IdempotencyKeys {

    /** The header clients send. */
    public static final String HEADER = IdempotentCommand.KEY_HEADER;
    /** Set on an answer that replays an earlier one. */
    public static final String REPLAYED = "Idempotent-Replayed";

    private IdempotencyKeys() {
    }

    /** {@code builder}, marked as a replay when the outcome is one. */
    static Response.ResponseBuilder marked(Response.ResponseBuilder builder, IdempotentCommand.Outcome<?> outcome) {
        return outcome.replayed() ? builder.header(REPLAYED, "true") : builder;
    }
}
