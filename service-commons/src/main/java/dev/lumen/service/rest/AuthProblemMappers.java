package dev.lumen.service.rest;

import dev.lumen.service.auth.AuthSettings;
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

    /** The challenge every 401 carries. */
    static final String CHALLENGE = "Bearer realm=\"lumen\"";

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
    static String describe(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            String message = String.valueOf(t.getMessage());
            if (message.contains("No Expiration Time")) {
                return "the bearer token has no expiry (exp claim): Lumen accepts only tokens that expire";
            }
            if (message.contains("No Issued At") || message.contains("SRJWT07008")) {
                return "the bearer token has no valid issue time (iat claim)";
            }
            if (message.contains("SRJWT07009")) {
                long seconds = org.eclipse.microprofile.config.ConfigProvider.getConfig()
                        .getOptionalValue("smallrye.jwt.time-to-live", Long.class)
                        .orElse(AuthSettings.DEFAULT_MAX_TOKEN_LIFETIME.toSeconds());
                return "the bearer token is valid for longer than tokens may be (exp - iat at most " + seconds
                        + " s, set by " + AuthSettings.MAX_TOKEN_LIFETIME_ENV + ")";
            }
            if (message.contains("SRJWT07015")) {
                return "the bearer token expires before it was issued (exp before iat)";
            }
            if (message.contains("Not Before")) {
                return "the bearer token is not valid yet (nbf claim in the future)";
            }
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
