package dev.lumen.results;

import dev.lumen.contracts.EventCodec;
import dev.lumen.contracts.RunProgress;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import java.util.stream.Stream;

/**
 * A minimal Server-Sent Events reader for tests: collects the {@code progress} events of one stream
 * on a background thread, as a browser's EventSource would receive them.
 */
public final class SseClient implements AutoCloseable {

    private final List<RunProgress> events = new CopyOnWriteArrayList<>();
    private final List<String> lines = new CopyOnWriteArrayList<>();
    private final CountDownLatch ended = new CountDownLatch(1);
    private final CompletableFuture<HttpResponse<Stream<String>>> response;

    /** Opens {@code url} with the given extra request headers. */
    public SseClient(String url, EventCodec codec, Map<String, String> requestHeaders) {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(url)).header("Accept", "text/event-stream").GET();
        requestHeaders.forEach(request::header);
        response = HttpClient.newHttpClient().sendAsync(request.build(), HttpResponse.BodyHandlers.ofLines());
        response.thenAcceptAsync(r -> {
            String event = null;
            StringBuilder data = new StringBuilder();
            try (Stream<String> body = r.body()) {
                for (String line : (Iterable<String>) body::iterator) {
                    lines.add(line);
                    if (line.isEmpty()) {
                        if ("progress".equals(event) && !data.isEmpty()) {
                            try {
                                events.add(codec.mapper().readValue(data.toString(), RunProgress.class));
                            } catch (IOException e) {
                                throw new UncheckedIOException(e);
                            }
                        }
                        event = null;
                        data.setLength(0);
                    } else if (line.startsWith("event:")) {
                        event = line.substring(6).trim();
                    } else if (line.startsWith("data:")) {
                        data.append(line.substring(5).trim());
                    }
                }
            } catch (RuntimeException e) {
                // closed by us or by the server
            } finally {
                ended.countDown();
            }
        }).whenComplete((ignored, failure) -> ended.countDown());
    }

    /** Waits for the response headers; returns the status. */
    public int status(Duration timeout) throws Exception {
        return response.get(timeout.toMillis(), TimeUnit.MILLISECONDS).statusCode();
    }

    /** A response header (after {@link #status}). */
    public String header(String name) {
        return response.join().headers().firstValue(name).orElse(null);
    }

    /** Progress events received so far. */
    public List<RunProgress> events() {
        return new ArrayList<>(events);
    }

    /** Raw lines received so far. */
    public List<String> lines() {
        return new ArrayList<>(lines);
    }

    /** Waits until the received events satisfy {@code done}. */
    public List<RunProgress> await(Predicate<List<RunProgress>> done, Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!done.test(events())) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("SSE stream did not deliver the expected events within " + timeout + ": " + events());
            }
            TestRuns.sleep(100);
        }
        return events();
    }

    /** Whether the server ended the stream within {@code timeout}. */
    public boolean awaitEnd(Duration timeout) throws InterruptedException {
        return ended.await(timeout.toMillis(), TimeUnit.MILLISECONDS);
    }

    @Override
    public void close() {
        response.thenAccept(r -> r.body().close());
        response.cancel(true);
    }
}
