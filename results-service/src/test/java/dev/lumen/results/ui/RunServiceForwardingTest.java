package dev.lumen.results.ui;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.lumen.testing.LumenStackResource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import io.quarkus.test.junit.QuarkusTest;
import io.vertx.core.http.HttpMethod;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.CopyOnWriteArrayList;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.endsWith;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.startsWith;

/**
 * The web UI's one origin: results-service relays run-service's part of the API as it came and
 * answers the rest itself. An HTTP server on this machine stands in for run-service and records what
 * reaches it, so that the relay (method, path, query, headers, a streamed body, the answer's status,
 * headers and body) is what is checked; the real run-service behind it is driven by the browser test.
 */
@QuarkusTest
@QuarkusTestResource(value = LumenStackResource.class, restrictToAnnotatedClass = false)
@QuarkusTestResource(value = RunServiceForwardingTest.StandIn.class, restrictToAnnotatedClass = true)
class RunServiceForwardingTest {

    /** What the stand-in received. */
    record Received(String method, String uri, Map<String, List<String>> headers, String bodySha256, long bodyBytes) {
    }

    static final List<Received> RECEIVED = new CopyOnWriteArrayList<>();

    @BeforeEach
    void forget() {
        RECEIVED.clear();
    }

    @Test
    void runServicesPartOfTheApiIsForwardedAndTheRestIsAnsweredHere() {
        assertThat(RunServiceForwarding.forwarded(HttpMethod.POST, "/api/runs")).isTrue();
        assertThat(RunServiceForwarding.forwarded(HttpMethod.POST, "/api/runs/run-1/cancel")).isTrue();
        assertThat(RunServiceForwarding.forwarded(HttpMethod.DELETE, "/api/runs/run-1")).isTrue();
        assertThat(RunServiceForwarding.forwarded(HttpMethod.GET, "/api/models")).isTrue();
        assertThat(RunServiceForwarding.forwarded(HttpMethod.DELETE, "/api/models/mdl-1")).isTrue();
        assertThat(RunServiceForwarding.forwarded(HttpMethod.POST, "/api/datasets")).isTrue();
        assertThat(RunServiceForwarding.forwarded(HttpMethod.GET, "/api/datasets/ds-1")).isTrue();
        assertThat(RunServiceForwarding.forwarded(HttpMethod.GET, "/api/methods")).isTrue();

        assertThat(RunServiceForwarding.forwarded(HttpMethod.GET, "/api/runs")).isFalse();
        assertThat(RunServiceForwarding.forwarded(HttpMethod.GET, "/api/runs/run-1")).isFalse();
        assertThat(RunServiceForwarding.forwarded(HttpMethod.GET, "/api/runs/run-1/results")).isFalse();
        assertThat(RunServiceForwarding.forwarded(HttpMethod.DELETE, "/api/runs/run-1/results")).isFalse();
        assertThat(RunServiceForwarding.forwarded(HttpMethod.GET, "/api/comparisons")).isFalse();
        assertThat(RunServiceForwarding.forwarded(HttpMethod.GET, "/index.html")).isFalse();
        assertThat(RunServiceForwarding.forwarded(HttpMethod.GET, "/api/modelsx")).isFalse();
    }

    @Test
    void aRunRequestIsRelayedWithItsHeadersAndTheAnswerComesBackAsRunServiceGaveIt() {
        String body = "{\"name\":\"n\",\"imageCount\":2}";
        given().header("Authorization", "Bearer t0ken").header("Idempotency-Key", "k-1").contentType("application/json")
                .body(body).post("/api/runs?x=1")
                .then().statusCode(202).header("Location", "/api/runs/run-42").contentType(startsWith("application/json"))
                .body("runId", equalTo("run-42"));

        assertThat(RECEIVED).hasSize(1);
        Received got = RECEIVED.get(0);
        assertThat(got.method()).isEqualTo("POST");
        assertThat(got.uri()).isEqualTo("/api/runs?x=1");
        assertThat(got.headers().get("Authorization")).containsExactly("Bearer t0ken");
        assertThat(got.headers().get("Idempotency-key")).containsExactly("k-1");
        assertThat(got.bodySha256()).isEqualTo(sha256(body.getBytes(StandardCharsets.UTF_8)));
    }

    @Test
    void problemsAndEmptyAnswersComeBackUnchanged() {
        given().header("Authorization", "Bearer t0ken").get("/api/models/refused")
                .then().statusCode(422).contentType(startsWith("application/problem+json"))
                .body("type", endsWith("/invalid-descriptor"));
        given().header("Authorization", "Bearer t0ken").delete("/api/runs/run-1").then().statusCode(204);
        assertThat(RECEIVED).extracting(Received::method).containsExactly("GET", "DELETE");
    }

    @Test
    void aLargeUploadIsStreamedThroughIntact() {
        byte[] archive = new byte[12 * 1024 * 1024];
        new Random(7).nextBytes(archive);
        given().header("Authorization", "Bearer t0ken").contentType("application/zip").body(archive)
                .post("/api/models").then().statusCode(201).body("modelId", equalTo("mdl-1"));

        Received got = RECEIVED.get(0);
        assertThat(got.bodyBytes()).isEqualTo(archive.length);
        assertThat(got.bodySha256()).isEqualTo(sha256(archive));
    }

    @Test
    void whenRunServiceFailsTheBrowserGetsAProblem() {
        given().header("Authorization", "Bearer t0ken").get("/api/datasets/hang-up")
                .then().statusCode(502).contentType(startsWith("application/problem+json"))
                .body("type", equalTo("https://lumen.dev/problems/run-service-unavailable"))
                .body("instance", equalTo("/api/datasets/hang-up"));
    }

    private static String sha256(byte[] bytes) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** A plain HTTP server on a free loopback port in run-service's place. */
    public static class StandIn implements QuarkusTestResourceLifecycleManager {

        private HttpServer server;

        @Override
        public Map<String, String> start() {
            try {
                server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
            } catch (IOException e) {
                throw new IllegalStateException(e);
            }
            server.createContext("/", StandIn::answer);
            server.start();
            return Map.of("lumen.results.run-service-url", "http://127.0.0.1:" + server.getAddress().getPort());
        }

        @Override
        public void stop() {
            if (server != null) {
                server.stop(0);
            }
        }

        private static void answer(HttpExchange exchange) throws IOException {
            MessageDigest digest;
            try {
                digest = MessageDigest.getInstance("SHA-256");
            } catch (NoSuchAlgorithmException e) {
                throw new IllegalStateException(e);
            }
            long bytes = 0;
            try (InputStream in = exchange.getRequestBody()) {
                byte[] buffer = new byte[65536];
                for (int n; (n = in.read(buffer)) > 0; ) {
                    digest.update(buffer, 0, n);
                    bytes += n;
                }
            }
            String sha = HexFormat.of().formatHex(digest.digest());
            String path = exchange.getRequestURI().getPath();
            RECEIVED.add(new Received(exchange.getRequestMethod(), exchange.getRequestURI().toString(),
                    Map.copyOf(exchange.getRequestHeaders()), sha, bytes));
            if (path.endsWith("/hang-up")) {
                exchange.close(); // no answer at all: the connection just ends
                return;
            }
            if (path.endsWith("/refused")) {
                send(exchange, 422, "application/problem+json",
                        "{\"type\":\"https://lumen.dev/problems/invalid-descriptor\",\"status\":422}");
            } else if ("DELETE".equals(exchange.getRequestMethod())) {
                exchange.sendResponseHeaders(204, -1);
                exchange.close();
            } else if (path.equals("/api/models")) {
                send(exchange, 201, "application/json", "{\"modelId\":\"mdl-1\"}");
            } else {
                exchange.getResponseHeaders().add("Location", "/api/runs/run-42");
                send(exchange, 202, "application/json", "{\"runId\":\"run-42\"}");
            }
        }

        private static void send(HttpExchange exchange, int status, String type, String body) throws IOException {
            byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().add("Content-Type", type);
            exchange.sendResponseHeaders(status, bytes.length);
            exchange.getResponseBody().write(bytes);
            exchange.close();
        }
    }
}
