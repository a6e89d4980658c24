package dev.lumen.results.rest;

import dev.lumen.contracts.RunProgress;
import dev.lumen.results.config.ResultsConfig;
import dev.lumen.results.progress.ProgressPublisher;
import dev.lumen.results.progress.RunTracker;
import io.quarkus.security.Authenticated;
import io.smallrye.common.annotation.Blocking;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.infrastructure.Infrastructure;
import io.smallrye.mutiny.subscription.MultiEmitter;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.sse.OutboundSseEvent;
import jakarta.ws.rs.sse.Sse;

import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * Run progress as Server-Sent Events, for browsers: the same snapshots that go to
 * {@code lumen.run-progress} (at most about one a second per running run, and one on every state
 * change), taken from {@link ProgressPublisher}'s local listeners.
 *
 * <p>Each event is named {@code progress} and carries one {@link RunProgress} as JSON. Keep-alive
 * comments are sent while nothing changes. EventSource cannot send headers, so these two endpoints
 * also take the bearer token as {@code ?access_token=} (see {@code ui.AccessTokenQueryFilter}).
 */
@Path("/api/runs")
@Authenticated
public class ProgressEventsResource {

    static final String EVENT = "progress";
    private static final long RECONNECT_MILLIS = 3000;

    private final ProgressPublisher publisher;
    private final RunTracker tracker;
    private final TenantRuns runs;
    private final ResultsConfig config;

    public ProgressEventsResource(ProgressPublisher publisher, RunTracker tracker, TenantRuns runs, ResultsConfig config) {
        this.publisher = publisher;
        this.tracker = tracker;
        this.runs = runs;
        this.config = config;
    }

    /**
     * One run: its current progress at once, then every update; the stream ends after the run's
     * terminal state, so a client never reconnects to a finished run in a loop.
     */
    @GET
    @Path("{runId}/events")
    @Produces(MediaType.SERVER_SENT_EVENTS)
    @Blocking // the first snapshot may load the run from object storage
    public Multi<OutboundSseEvent> run(@PathParam("runId") String runId, @Context Sse sse) {
        runs.owned(runId);
        return stream(sse, emitter -> {
            // Current state after subscribing, so that no update falls between the two; a duplicate
            // snapshot is harmless.
            RunProgress current = tracker.progress(runId).orElse(null);
            if (current != null) {
                emitter.emit(event(sse, current));
                if (current.state().terminal()) {
                    emitter.complete();
                }
            }
        }, (emitter, progress) -> {
            if (progress.runId().equals(runId)) {
                emitter.emit(event(sse, progress));
                if (progress.state().terminal()) {
                    emitter.complete();
                }
            }
        });
    }

    /**
     * Updates of every run of the caller's tenant as they happen (no initial snapshots: read
     * {@code GET /api/runs} for those).
     */
    @GET
    @Path("events")
    @Produces(MediaType.SERVER_SENT_EVENTS)
    public Multi<OutboundSseEvent> all(@Context Sse sse) {
        // Resolved now: the listener runs on other threads, outside this request.
        String tenant = runs.tenantId();
        return stream(sse, emitter -> emitter.emit(sse.newEventBuilder().comment("lumen run progress").build()),
                (emitter, progress) -> {
                    if (tenant.equals(progress.tenant())) {
                        emitter.emit(event(sse, progress));
                    }
                });
    }

    private Multi<OutboundSseEvent> stream(Sse sse, Consumer<MultiEmitter<? super OutboundSseEvent>> start,
                                           java.util.function.BiConsumer<MultiEmitter<? super OutboundSseEvent>, RunProgress> onUpdate) {
        long keepAlive = Math.max(1, config.sseKeepAlive().toMillis());
        return Multi.createFrom().emitter(emitter -> {
            Consumer<RunProgress> listener = progress -> {
                if (!emitter.isCancelled()) {
                    onUpdate.accept(emitter, progress);
                }
            };
            ScheduledFuture<?> pings = Infrastructure.getDefaultWorkerPool().scheduleAtFixedRate(
                    () -> emitter.emit(sse.newEventBuilder().comment("keep-alive").build()),
                    keepAlive, keepAlive, TimeUnit.MILLISECONDS);
            // Runs on cancellation (the browser went away) and on completion alike.
            emitter.onTermination(() -> {
                publisher.removeListener(listener);
                pings.cancel(false);
            });
            publisher.addListener(listener);
            start.accept(emitter);
        });
    }

    private static OutboundSseEvent event(Sse sse, RunProgress progress) {
        return sse.newEventBuilder()
                .name(EVENT)
                .mediaType(MediaType.APPLICATION_JSON_TYPE)
                .data(RunProgress.class, progress)
                .reconnectDelay(RECONNECT_MILLIS)
                .build();
    }
}
