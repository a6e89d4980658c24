package dev.lumen.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Map;

/** A small client of Lumen's REST API: create runs on run-service, read them from results-service. */
public final class RunClient {

    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private final ObjectMapper mapper = new ObjectMapper();
    private final String runServiceUrl;
    private final String resultsServiceUrl;

    public RunClient(String runServiceUrl, String resultsServiceUrl) {
        this.runServiceUrl = runServiceUrl;
        this.resultsServiceUrl = resultsServiceUrl;
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

    /** Base URL of results-service. */
    public String resultsServiceUrl() {
        return resultsServiceUrl;
    }

    private JsonNode send(HttpRequest request) {
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

    private String json(Object value) {
        try {
            return mapper.writeValueAsString(value);
        } catch (IOException e) {
            throw new CliException("cannot encode request: " + e.getMessage(), e);
        }
    }
}
