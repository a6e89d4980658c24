package dev.lumen.service.rest;

import io.quarkus.security.AuthenticationFailedException;
import io.quarkus.security.ForbiddenException;
import io.quarkus.security.UnauthorizedException;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriInfo;
import org.jboss.resteasy.reactive.server.ServerExceptionMapper;

import java.util.List;

/**
 * Security failures as RFC 7807 problems: a missing token (401), a token that does not verify:
 * expired, badly signed, from another issuer (401), and a refused permission (403). Quarkus' own
 * mappers answer with empty bodies; these win by priority. Services must authenticate lazily
 * ({@code quarkus.http.auth.proactive=false}) for failures to reach the resource layer at all.
 */
public class AuthProblemMappers {

    private static final String CHALLENGE = "Bearer realm=\"lumen\"";

    @ServerExceptionMapper(priority = 1)
    public Response unauthorized(UnauthorizedException e, @Context UriInfo uri) {
        return challenge(new Problem(Problem.TYPE_PREFIX + "unauthorized", "Unauthorized", 401,
                "a bearer token is required (Authorization: Bearer <token>)", path(uri), List.of()));
    }

    @ServerExceptionMapper(priority = 1)
    public Response authenticationFailed(AuthenticationFailedException e, @Context UriInfo uri) {
        return challenge(new Problem(Problem.TYPE_PREFIX + "invalid-token", "Unauthorized", 401,
                describe(e), path(uri), List.of()));
    }

    @ServerExceptionMapper(priority = 1)
    public Response forbidden(ForbiddenException e, @Context UriInfo uri) {
        return ProblemResponses.of(new Problem(Problem.TYPE_PREFIX + "forbidden", "Forbidden", 403,
                "the token does not allow this request", path(uri), List.of()));
    }

    /** Says what is wrong without echoing the token or the verifier's internals. */
    private static String describe(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            String message = String.valueOf(t.getMessage());
            if (message.contains("Expiration Time") || message.contains("expired")) {
                return "the bearer token has expired";
            }
        }
        return "the bearer token is invalid: malformed, not signed with Lumen's key, from another issuer or expired";
    }

    private static Response challenge(Problem problem) {
        return Response.fromResponse(ProblemResponses.of(problem))
                .header(HttpHeaders.WWW_AUTHENTICATE, CHALLENGE).build();
    }

    private static String path(UriInfo uri) {
        return uri == null ? null : uri.getPath();
    }
}
