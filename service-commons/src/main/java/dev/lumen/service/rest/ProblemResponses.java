package dev.lumen.service.rest;

import jakarta.ws.rs.core.Response;

/** Builds problem responses with the right media type. */
public final class ProblemResponses {

    private ProblemResponses() {
    }

    /** A response carrying {@code problem} as {@code application/problem+json}. */
    public static Response of(Problem problem) {
        return Response.status(problem.status()).type(Problem.MEDIA_TYPE).entity(problem).build();
    }
}
