package dev.lumen.results.ui;

import io.quarkus.vertx.http.runtime.filters.Filters;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServerRequest;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

import java.util.regex.Pattern;

/**
 * Lets the browser's {@code EventSource}, which cannot set headers, authenticate the progress streams:
 * on {@code GET /api/runs/events} and {@code GET /api/runs/{id}/events} only, a request without an
 * {@code Authorization} header but with {@code ?access_token=T} is handled as if it carried
 * {@code Authorization: Bearer T}. A header the client sent wins; the token is verified like any other.
 *
 * <p>This only moves the token to where the API's bearer authentication looks for it; it verifies
 * nothing itself. It runs before Quarkus' security filters (priority above theirs). Tokens in URLs
 * can end up in access logs, which is why no other endpoint accepts them.
 */
@ApplicationScoped
public class AccessTokenQueryFilter {

    /** The SSE endpoints, the only ones that take a token in the query. */
    static final Pattern STREAM_PATH = Pattern.compile("^/api/runs(/[A-Za-z0-9._-]{1,128})?/events/?$");
    static final String PARAMETER = "access_token";
    /** Above {@code SecurityHandlerPriorities.CORS} (300), the earliest of the security filters. */
    private static final int PRIORITY = 1000;

    void register(@Observes Filters filters) {
        filters.register(context -> {
            HttpServerRequest request = context.request();
            if (request.method() == HttpMethod.GET && request.getHeader(HttpHeaders.AUTHORIZATION) == null
                    && STREAM_PATH.matcher(request.path()).matches()) {
                String token = request.getParam(PARAMETER);
                if (token != null && !token.isBlank()) {
                    request.headers().set(HttpHeaders.AUTHORIZATION, "Bearer " + token.trim());
                }
            }
            context.next();
        }, PRIORITY);
    }
}
