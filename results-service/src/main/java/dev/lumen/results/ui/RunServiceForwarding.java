package dev.lumen.results.ui;

import dev.lumen.results.config.ResultsConfig;
import dev.lumen.service.rest.Problem;
import io.quarkus.vertx.http.runtime.filters.Filters;
import io.vertx.ext.web.RoutingContext;
import io.vertx.core.MultiMap;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpClientResponse;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.core.http.RequestOptions;
import io.vertx.core.json.JsonObject;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import org.jboss.logging.Logger;

import java.net.URI;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * The web UI's one origin (decision 0030): results-service serves the pages, and it forwards the
 * part of the API that run-service answers to run-service, as it came (method, path, query, body,
 * {@code Authorization}, {@code Idempotency-Key}), streaming bodies both ways so that a dataset upload
 * is never held in memory here. run-service checks the token and answers, problems included; this
 * only relays. Forwarded: {@code /api/models/**}, {@code /api/datasets/**}, {@code GET /api/methods},
 * {@code POST /api/runs}, {@code POST /api/runs/{id}/cancel} and {@code DELETE /api/runs/{id}}; every
 * other {@code /api/runs} read is results-service's own.
 *
 * <p>When run-service cannot be reached the browser gets a 502 problem of type
 * {@code run-service-unavailable}, never a hanging request.
 */
@ApplicationScoped
public class RunServiceForwarding {

    private static final Logger LOG = Logger.getLogger(RunServiceForwarding.class);
    /** After {@link AccessTokenQueryFilter} (1000), before Quarkus' security and the REST layer. */
    private static final int PRIORITY = 900;
    private static final String ID = "[A-Za-z0-9._-]{1,128}";
    private static final Pattern ANY_METHOD = Pattern.compile("^/api/(models|datasets)(/.*)?$|^/api/methods/?$");
    private static final Pattern CREATE_RUN = Pattern.compile("^/api/runs/?$");
    private static final Pattern CANCEL_RUN = Pattern.compile("^/api/runs/" + ID + "/cancel/?$");
    private static final Pattern ONE_RUN = Pattern.compile("^/api/runs/" + ID + "/?$");
    /** Hop-by-hop headers (RFC 9110 7.6.1), which belong to one connection and are not relayed. */
    private static final Set<String> HOP_BY_HOP = Set.of("connection", "keep-alive", "proxy-authenticate",
            "proxy-authorization", "te", "trailer", "transfer-encoding", "upgrade", "host");

    private final Vertx vertx;
    private final URI target;
    private volatile HttpClient client;

    public RunServiceForwarding(Vertx vertx, ResultsConfig config) {
        this.vertx = vertx;
        this.target = URI.create(config.runServiceUrl());
    }

    /** Whether {@code method path} is run-service's to answer. */
    static boolean forwarded(HttpMethod method, String path) {
        if (ANY_METHOD.matcher(path).matches()) {
            return true;
        }
        if (method == HttpMethod.POST) {
            return CREATE_RUN.matcher(path).matches() || CANCEL_RUN.matcher(path).matches();
        }
        return method == HttpMethod.DELETE && ONE_RUN.matcher(path).matches();
    }

    void register(@Observes Filters filters) {
        filters.register(this::route, PRIORITY);
    }

    @PreDestroy
    void close() {
        HttpClient open = client;
        if (open != null) {
            open.close();
        }
    }

    private void route(RoutingContext context) {
        HttpServerRequest request = context.request();
        if (!forwarded(request.method(), request.path())) {
            context.next();
            return;
        }
        request.pause();
        forward(request, context.response());
    }

    private void forward(HttpServerRequest request, HttpServerResponse response) {
        RequestOptions options = new RequestOptions().setMethod(request.method()).setHost(target.getHost())
                .setPort(port()).setSsl("https".equalsIgnoreCase(target.getScheme()))
                .setURI(request.uri());
        MultiMap headers = MultiMap.caseInsensitiveMultiMap();
        copy(request.headers(), headers);
        options.setHeaders(headers);
        client().request(options)
                .compose(outgoing -> {
                    if (!request.headers().contains(HttpHeaders.CONTENT_LENGTH) && bodyExpected(request)) {
                        outgoing.setChunked(true);
                    }
                    return outgoing.send(request);
                })
                .onSuccess(answer -> relay(answer, response))
                .onFailure(failure -> unavailable(request, response, failure));
    }

    private static boolean bodyExpected(HttpServerRequest request) {
        return request.method() == HttpMethod.POST || request.method() == HttpMethod.PUT
                || request.method() == HttpMethod.PATCH;
    }

    private static void relay(HttpClientResponse answer, HttpServerResponse response) {
        response.setStatusCode(answer.statusCode());
        response.setStatusMessage(answer.statusMessage());
        copy(answer.headers(), response.headers());
        if (!answer.headers().contains(HttpHeaders.CONTENT_LENGTH)) {
            response.setChunked(true);
        }
        answer.pipeTo(response);
    }

    private void unavailable(HttpServerRequest request, HttpServerResponse response, Throwable failure) {
        LOG.warnf("cannot forward %s %s to run-service at %s: %s", request.method(), request.path(), target,
                failure.getMessage());
        if (response.headWritten()) {
            response.reset();
            return;
        }
        // The request body may still be unread: drop it rather than leave the connection waiting.
        request.resume();
        JsonObject problem = new JsonObject().put("type", Problem.TYPE_PREFIX + "run-service-unavailable")
                .put("title", "run-service unavailable").put("status", 502)
                .put("detail", "run-service cannot be reached: " + failure.getMessage())
                .put("instance", request.path());
        response.setStatusCode(502).putHeader(HttpHeaders.CONTENT_TYPE, Problem.MEDIA_TYPE).end(problem.encode());
    }

    private static void copy(MultiMap from, MultiMap to) {
        from.forEach(header -> {
            if (!HOP_BY_HOP.contains(header.getKey().toLowerCase(Locale.ROOT))
                    && !HttpHeaders.CONTENT_LENGTH.toString().equalsIgnoreCase(header.getKey())) {
                to.add(header.getKey(), header.getValue());
            }
        });
        if (from.contains(HttpHeaders.CONTENT_LENGTH)) {
            to.set(HttpHeaders.CONTENT_LENGTH, from.get(HttpHeaders.CONTENT_LENGTH));
        }
    }

    private int port() {
        if (target.getPort() > 0) {
            return target.getPort();
        }
        return "https".equalsIgnoreCase(target.getScheme()) ? 443 : 80;
    }

    private HttpClient client() {
        HttpClient open = client;
        if (open == null) {
            synchronized (this) {
                if (client == null) {
                    client = vertx.createHttpClient(new HttpClientOptions().setConnectTimeout(5000)
                            .setKeepAlive(true));
                }
                open = client;
            }
        }
        return open;
    }
}
