package dev.lumen.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.function.Supplier;
import java.util.stream.Collectors;

/**
 * A small client of Lumen's REST API: create, list, show, cancel and delete runs on run-service, follow
 * them on results-service. Every request carries a bearer token from the token supplier.
 */
public final class RunClient {

    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private final ObjectMapper mapper = new ObjectMapper();
    private final String runServiceUrl;
    private final String resultsServiceUrl;
    private final Supplier<String> tokens;

    /**
     * A client whose token is {@code LUMEN_TOKEN} when set, else one minted with the workspace's
     * development keys for {@code LUMEN_TENANT} (default {@code default}) when those keys exist.
     */
    public RunClient(String runServiceUrl, String resultsServiceUrl) {
        this(runServiceUrl, resultsServiceUrl, defaultTokens());
    }

    /** A client that sends {@code tokens.get()} as its bearer token (none when it gives null). */
    public RunClient(String runServiceUrl, String resultsServiceUrl, Supplier<String> tokens) {
        this.runServiceUrl = runServiceUrl;
        this.resultsServiceUrl = resultsServiceUrl;
        this.tokens = tokens;
    }

    /** Tokens minted with {@code keys} for {@code tenant}, renewed before they expire. */
    public static Supplier<String> minted(DevTokens keys, String tenant) {
        Duration ttl = Duration.ofHours(1);
        return new Supplier<>() {
            private String token;
            private Instant renewAt = Instant.MIN;

            @Override
            public synchronized String get() {
                if (token == null || Instant.now().isAfter(renewAt)) {
                    token = keys.mint(tenant, ttl);
                    renewAt = Instant.now().plus(ttl).minusSeconds(300);
                }
                return token;
            }
        };
    }

    private static Supplier<String> defaultTokens() {
        String token = System.getenv("LUMEN_TOKEN");
        if (token != null && !token.isBlank()) {
            return () -> token.strip();
        }
        String tenant = System.getenv().getOrDefault("LUMEN_TENANT", DevTokens.DEFAULT_TENANT);
        return new Supplier<>() {
            private Supplier<String> minted;

            @Override
            public synchronized String get() {
                if (minted == null) {
                    try {
                        DevTokens keys = DevTokens.of(Workspace.locate(Path.of("")));
                        minted = keys.exists() ? minted(keys, tenant) : () -> null;
                    } catch (CliException e) {
                        minted = () -> null;
                    }
                }
                return minted.get();
            }
        };
    }

    /** Creates a run; returns the accepted run's JSON, or throws with the problem's detail. */
    public JsonNode create(Map<String, Object> request) {
        return send(HttpRequest.newBuilder(URI.create(runServiceUrl + "/api/runs"))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(json(request))).build());
    }

    /** A run's state, counts and images. */
    public JsonNode get(String runId) {
        return send(HttpRequest.newBuilder(URI.create(resultsServiceUrl + "/api/runs/" + runId)).GET().build());
    }

    /** Every run's progress. */
    public JsonNode list() {
        return send(HttpRequest.newBuilder(URI.create(resultsServiceUrl + "/api/runs")).GET().build());
    }

    /** The caller's runs from run-service, filtered by the given query parameters (state, model, ...). */
    public JsonNode listRuns(Map<String, String> query) {
        String parameters = query.entrySet().stream()
                .map(e -> e.getKey() + "=" + URLEncoder.encode(e.getValue(), StandardCharsets.UTF_8))
                .collect(Collectors.joining("&"));
        return send(HttpRequest.newBuilder(URI.create(runServiceUrl + "/api/runs" + (parameters.isEmpty() ? "" : "?" + parameters)))
                .GET().build());
    }

    /** One run as run-service shows it: state, counts, ETA, parameters, seed. */
    public JsonNode showRun(String runId) {
        return send(HttpRequest.newBuilder(URI.create(runServiceUrl + "/api/runs/" + encode(runId))).GET().build());
    }

    /** Cancels a run; {@code reason} may be null. */
    public JsonNode cancel(String runId, String reason) {
        String body = reason == null ? "" : json(Map.of("reason", reason));
        return send(HttpRequest.newBuilder(URI.create(runServiceUrl + "/api/runs/" + encode(runId) + "/cancel"))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body)).build());
    }

    /** Deletes a finished run and its results. */
    public void delete(String runId) {
        send(HttpRequest.newBuilder(URI.create(runServiceUrl + "/api/runs/" + encode(runId))).DELETE().build());
    }

    /** A run's progress alone (state, counts, throughput), without its image list. */
    public JsonNode progress(String runId) {
        return send(HttpRequest.newBuilder(URI.create(resultsServiceUrl + "/api/runs/" + encode(runId) + "/progress"))
                .GET().build());
    }

    /** One page of a run's image results (results-service), in image order. */
    public JsonNode results(String runId, int page, int size) {
        return send(HttpRequest.newBuilder(URI.create(resultsServiceUrl + "/api/runs/" + encode(runId) + "/results?page="
                + page + "&size=" + size)).GET().build());
    }

    /** Base URL of results-service. */
    public String resultsServiceUrl() {
        return resultsServiceUrl;
    }

    private JsonNode send(HttpRequest unauthenticated) {
        HttpRequest request = authenticated(unauthenticated);
        try {
            HttpResponse<String> response = http.send(request, HttpResponse.BodyHandlers.ofString());
            JsonNode body = response.body().isBlank() ? mapper.createObjectNode() : mapper.readTree(response.body());
            if (response.statusCode() >= 400) {
                throw new CliException(request.method() + " " + request.uri() + " answered " + response.statusCode()
                        + ": " + body.path("detail").asText(response.body()));
            }
            return body;
        } catch (IOException e) {
            throw new CliException("cannot reach " + request.uri() + ": " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new CliException("interrupted");
        }
    }

    private HttpRequest authenticated(HttpRequest request) {
        String token = tokens.get();
        if (token == null) {
            return request;
        }
        return HttpRequest.newBuilder(request, (name, value) -> true).header("Authorization", "Bearer " + token).build();
    }

    private static String encode(String segment) {
        return URLEncoder.encode(segment, StandardCharsets.UTF_8).replace("+", "%20");
    }

    private String json(Object value) {
        try {
            return mapper.writeValueAsString(value);
        } catch (IOException e) {
            throw new CliException("cannot encode request: " + e.getMessage(), e);
        }
    }
}
