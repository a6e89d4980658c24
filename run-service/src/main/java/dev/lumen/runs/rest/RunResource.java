package dev.lumen.runs.rest;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.lumen.contracts.DatasetRef;
import dev.lumen.contracts.ModelRef;
import dev.lumen.contracts.RunCancelled;
import dev.lumen.contracts.RunDeleted;
import dev.lumen.contracts.RunRequested;
import dev.lumen.contracts.RunState;
import dev.lumen.runs.config.RunServiceConfig;
import dev.lumen.runs.domain.RunPlanner;
import dev.lumen.runs.domain.RunRecord;
import dev.lumen.runs.domain.RunViews;
import dev.lumen.runs.messaging.RunRequestPublisher;
import dev.lumen.runs.storage.IdempotencyStore;
import dev.lumen.runs.storage.RunStorage;
import dev.lumen.service.auth.CurrentTenant;
import dev.lumen.service.rest.ProblemException;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.security.Authenticated;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotNull;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.security.SecurityRequirement;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;
import org.jboss.logging.Logger;

import java.io.IOException;
import java.net.URI;
import java.security.SecureRandom;
import java.time.Instant;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.function.Predicate;

/**
 * The front door for runs: checks a request completely, then publishes it for planning; lists, shows,
 * cancels and deletes the caller's runs. Every operation is scoped to the token's tenant: another
 * tenant's run answers 404 exactly like a run that never existed.
 */
@Path("/api/runs")
@Produces(MediaType.APPLICATION_JSON)
@Consumes(MediaType.APPLICATION_JSON)
@Authenticated
@Tag(name = "runs")
@SecurityRequirement(name = "SecurityScheme")
public class RunResource {

    private static final Logger LOG = Logger.getLogger(RunResource.class);
    private static final SecureRandom SEEDS = new SecureRandom();
    private static final int MAX_PAGE_SIZE = 200;
    private static final int MAX_REASON = 500;

    private final RunPlanner planner;
    private final RunRequestPublisher publisher;
    private final RunViews views;
    private final RunStorage storage;
    private final IdempotencyKeys idempotency;
    private final IdempotencyStore idempotencyStore;
    private final CurrentTenant tenant;
    private final RunServiceConfig config;
    private final ObjectMapper mapper;
    private final MeterRegistry metrics;

    public RunResource(RunPlanner planner, RunRequestPublisher publisher, RunViews views, RunStorage storage,
                       IdempotencyKeys idempotency, IdempotencyStore idempotencyStore, CurrentTenant tenant,
                       RunServiceConfig config, ObjectMapper mapper, MeterRegistry metrics) {
        this.planner = planner;
        this.publisher = publisher;
        this.views = views;
        this.storage = storage;
        this.idempotency = idempotency;
        this.idempotencyStore = idempotencyStore;
        this.tenant = tenant;
        this.config = config;
        this.mapper = mapper;
        this.metrics = metrics;
    }

    /**
     * Accepts a run (202) after checking the method, the model, the dataset and the sample; nothing is
     * published for a rejected request. With an {@code Idempotency-Key}, a retry answers the first
     * attempt's run instead of starting another.
     */
    @POST
    @Operation(summary = "Request a run", description = "Validates and queues a run; answers 202 with its id.")
    public Response create(@Valid @NotNull(message = "a JSON body is required") CreateRunRequest body,
                           @HeaderParam(IdempotencyKeys.HEADER) String idempotencyKey) {
        String tenantId = tenant.id();
        if (body.imageCount() > config.maxImageCount()) {
            throw ProblemException.badField("imageCount", "must be at most " + config.maxImageCount());
        }
        if (idempotencyKey == null) {
            Accepted accepted = prepare(tenantId, body);
            publish(accepted);
            return accepted.response(false);
        }
        String requestHash = IdempotencyStore.sha256(json(body));
        return idempotency.locked(tenantId, idempotencyKey, () -> {
            Optional<IdempotencyStore.Entry> earlier = idempotency.earlier(tenantId, idempotencyKey, "run", requestHash);
            if (earlier.isPresent()) {
                IdempotencyStore.Entry entry = earlier.get();
                RunAccepted answer = mapper.convertValue(entry.response(), RunAccepted.class);
                if (entry.state() == IdempotencyStore.State.PENDING) {
                    // The first attempt stopped between recording the key and knowing the request was
                    // published. Publishing it again (same run id) is safe: consumers dedupe by run id.
                    LOG.infof("run %s: completing an interrupted request (Idempotency-Key replay)", entry.resourceId());
                    publish(new Accepted(entry.request(), answer));
                    idempotencyStore.save(tenantId, idempotencyKey, entry.done());
                }
                return new Accepted(entry.request(), answer).response(true);
            }
            Accepted accepted = prepare(tenantId, body);
            IdempotencyStore.Entry entry = new IdempotencyStore.Entry("run", requestHash, IdempotencyStore.State.PENDING,
                    accepted.request().runId(), accepted.request(), mapper.valueToTree(accepted.answer()), Instant.now());
            // Recorded before publishing: a crash after publishing leaves a key that finds the run.
            idempotencyStore.save(tenantId, idempotencyKey, entry);
            publish(accepted);
            idempotencyStore.save(tenantId, idempotencyKey, entry.done());
            return accepted.response(false);
        });
    }

    /** The caller's runs, newest first, optionally filtered by state, model and dataset. */
    @GET
    @Operation(summary = "List runs", description = "Filters: state (comma-separated), model, dataset; page from 0, size 1-200.")
    public RunPage list(@QueryParam("state") String state, @QueryParam("model") String model,
                        @QueryParam("dataset") String dataset, @QueryParam("page") String page,
                        @QueryParam("size") String size) {
        String tenantId = tenant.id();
        int pageNumber = intParam("page", page, 0, 0, Integer.MAX_VALUE);
        int pageSize = intParam("size", size, 20, 1, MAX_PAGE_SIZE);
        Set<RunState> states = states(state);
        Predicate<RunRecord> filter = run -> states.contains(run.state())
                && (model == null || model.equals(RunView.of(run, "").model()))
                && (dataset == null || dataset.equals(RunView.of(run, "").dataset()));
        List<RunRecord> matching = views.list(tenantId, filter);
        long from = Math.min((long) pageNumber * pageSize, matching.size());
        long to = Math.min(from + pageSize, matching.size());
        List<RunView> items = matching.subList((int) from, (int) to).stream()
                .map(run -> RunView.of(run, config.resultsBaseUrl())).toList();
        int totalPages = (int) ((matching.size() + pageSize - 1) / pageSize);
        return new RunPage(items, pageNumber, pageSize, matching.size(), totalPages);
    }

    /** One of the caller's runs: state, counts, ETA, parameters and seed. */
    @GET
    @Path("{id}")
    @Operation(summary = "Show a run")
    public RunView show(@PathParam("id") String runId) {
        return RunView.of(owned(runId), config.resultsBaseUrl());
    }

    /**
     * Cancels a queued or running run (202): workers skip its remaining images and results-service
     * reports it CANCELLED. Cancelling a cancelled run again changes nothing; a finished run answers 409.
     */
    @POST
    @Path("{id}/cancel")
    @Consumes(MediaType.WILDCARD)
    @Operation(summary = "Cancel a run", description = "Optional JSON body {\"reason\": \"...\"}.")
    public Response cancel(@PathParam("id") String runId, byte[] body) {
        String tenantId = tenant.id();
        RunRecord run = owned(runId);
        String reason = reason(body);
        if (run.cancelledAt() == null) {
            if (run.state().terminal()) {
                throw ProblemException.conflict("run-finished", "run '" + runId + "' is already " + run.state());
            }
            Instant now = Instant.now();
            // Marker first: from then on workers skip the run's tasks, even if the event never got out.
            storage.markCancelled(runId, tenantId, reason, now);
            publisher.publishCancelled(new RunCancelled(runId, tenantId, reason));
            views.cancelled(runId, now);
            metrics.counter("lumen.runs.cancelled").increment();
            LOG.infof("run %s: cancelled by %s%s", runId, tenant.subject(), reason == null ? "" : " (" + reason + ")");
        }
        return Response.accepted(RunView.of(views.find(tenantId, runId).orElse(run), config.resultsBaseUrl())).build();
    }

    /**
     * Deletes a finished run (204) and its stored results ({@code runs/{id}/}); a queued or running run
     * answers 409 (cancel it first).
     */
    @DELETE
    @Path("{id}")
    @Operation(summary = "Delete a finished run and its results")
    public Response delete(@PathParam("id") String runId) {
        String tenantId = tenant.id();
        RunRecord run = owned(runId);
        if (!run.state().terminal()) {
            throw ProblemException.conflict("run-active", "run '" + runId + "' is " + run.state()
                    + "; cancel it first (POST /api/runs/" + runId + "/cancel)");
        }
        // Storage first: a crash before the event leaves the run listed, and deleting again finishes it.
        int removed = storage.deleteRun(runId);
        publisher.publishDeleted(new RunDeleted(runId, tenantId));
        views.deleted(runId);
        metrics.counter("lumen.runs.deleted").increment();
        LOG.infof("run %s: deleted by %s (%d stored objects removed)", runId, tenant.subject(), removed);
        return Response.noContent().build();
    }

    private RunRecord owned(String runId) {
        String tenantId = tenant.id();
        if (!Ids.valid(runId)) {
            throw ProblemException.notFound("run-not-found", "run does not exist");
        }
        return views.find(tenantId, runId).orElseThrow(() ->
                ProblemException.notFound("run-not-found", "run '" + runId + "' does not exist"));
    }

    /** Validates and plans: throws the problem for anything wrong, before anything is recorded or sent. */
    private Accepted prepare(String tenantId, CreateRunRequest body) {
        String runId = "run-" + UUID.randomUUID();
        long seed = body.seed() != null ? body.seed() : SEEDS.nextLong() & Long.MAX_VALUE;
        RunRequested request = new RunRequested(runId, tenantId, body.name(), body.method(),
                new ModelRef(body.model()), new DatasetRef(body.dataset()), body.imageCount(), seed,
                body.allowFewer(), body.parameters() == null ? Map.of() : body.parameters());
        RunPlanner.Plan plan = planner.plan(request);
        Map<String, String> links = Map.of(
                "self", config.resultsBaseUrl() + "/api/runs/" + runId,
                "run", "/api/runs/" + runId,
                "ui", config.resultsBaseUrl() + "/runs/" + runId);
        return new Accepted(request, new RunAccepted(runId, "QUEUED", seed, plan.images().size(), plan.warnings(), links));
    }

    private void publish(Accepted accepted) {
        RunRequested request = accepted.request();
        publisher.publish(request);
        views.accepted(request, Instant.now(), accepted.answer().imageCount());
        metrics.counter("lumen.runs.accepted").increment();
        LOG.infof("run %s: accepted for tenant %s (%s on model %s, %d images of dataset %s, seed %d)", request.runId(),
                request.tenant(), request.method(), request.model().id(), accepted.answer().imageCount(),
                request.dataset().id(), request.seed());
    }

    private record Accepted(RunRequested request, RunAccepted answer) {
        Response response(boolean replayed) {
            Response.ResponseBuilder builder = Response.accepted(answer)
                    .location(URI.create("/api/runs/" + answer.runId()));
            if (replayed) {
                builder.header(IdempotencyKeys.REPLAYED, "true");
            }
            return builder.build();
        }
    }

    private byte[] json(Object value) {
        try {
            return mapper.writeValueAsBytes(value);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot write a request as JSON", e);
        }
    }

    private String reason(byte[] body) {
        if (body == null || body.length == 0 || new String(body).isBlank()) {
            return null;
        }
        CancelRunRequest request;
        try {
            request = mapper.readValue(body, CancelRunRequest.class);
        } catch (JsonProcessingException e) {
            throw new ProblemException(400, "malformed-request", "Malformed request body",
                    "malformed JSON: " + e.getOriginalMessage(), List.of());
        } catch (IOException e) {
            throw ProblemException.badField("body", "cannot be read");
        }
        if (request == null || request.reason() == null || request.reason().isBlank()) {
            return null;
        }
        if (request.reason().length() > MAX_REASON) {
            throw ProblemException.badField("reason", "must have at most " + MAX_REASON + " characters");
        }
        return request.reason().strip();
    }

    private static int intParam(String name, String value, int fallback, int min, int max) {
        if (value == null || value.isBlank()) {
            return fallback;
        }
        int parsed;
        try {
            parsed = Integer.parseInt(value.strip());
        } catch (NumberFormatException e) {
            throw ProblemException.badField(name, "must be an integer");
        }
        if (parsed < min || parsed > max) {
            throw ProblemException.badField(name, "must be between " + min + " and " + max);
        }
        return parsed;
    }

    private static Set<RunState> states(String value) {
        if (value == null || value.isBlank()) {
            return EnumSet.allOf(RunState.class);
        }
        Set<RunState> states = EnumSet.noneOf(RunState.class);
        for (String part : value.split(",")) {
            try {
                states.add(RunState.valueOf(part.strip().toUpperCase(Locale.ROOT)));
            } catch (IllegalArgumentException e) {
                throw ProblemException.badField("state", "must be one of " + Arrays.toString(RunState.values()));
            }
        }
        return states;
    }
}
