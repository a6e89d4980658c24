package dev.lumen.runs.rest;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.lumen.contracts.RunState;
import dev.lumen.runs.service.IdempotentCommand;
import dev.lumen.runs.service.RunService;
import dev.lumen.service.auth.CurrentTenant;
import dev.lumen.service.rest.ProblemException;
import dev.lumen.service.rest.QueryParameters;
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

import java.io.IOException;
import java.net.URI;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * The front door for runs: maps {@code /api/runs} onto {@link RunService} (request, list, show, cancel,
 * delete), scoped to the token's tenant. Query parameters and the cancel body are read here; every
 * decision about a run is the service's.
 */
@Path("/api/runs")
@Produces(MediaType.APPLICATION_JSON)
@Consumes(MediaType.APPLICATION_JSON)
@Authenticated
@Tag(name = "runs")
@SecurityRequirement(name = "SecurityScheme")
public class RunResource {

    private static final int MAX_PAGE_SIZE = 200;
    private static final int MAX_REASON = 500;

    private final RunService runs;
    private final CurrentTenant tenant;
    private final ObjectMapper mapper;

    public RunResource(RunService runs, CurrentTenant tenant, ObjectMapper mapper) {
        this.runs = runs;
        this.tenant = tenant;
        this.mapper = mapper;
    }

    /**
     * Accepts a run (202) after checking the method and its parameters, the model, the dataset and the
     * sample; nothing is published for a rejected request. With an {@code Idempotency-Key}, a retry
     * answers the first attempt's run instead of starting another.
     */
    @POST
    @Operation(summary = "Request a run", description = "Validates and queues a run; answers 202 with its id. "
            + "The method and its parameters are checked against GET /api/methods.")
    public Response create(@Valid @NotNull(message = "a JSON body is required") CreateRunRequest body,
                           @HeaderParam(IdempotencyKeys.HEADER) String idempotencyKey) {
        IdempotentCommand.Outcome<RunAccepted> outcome = runs.create(tenant.id(), body, idempotencyKey);
        RunAccepted answer = outcome.answer();
        return IdempotencyKeys.marked(Response.accepted(answer).location(URI.create("/api/runs/" + answer.runId())),
                outcome).build();
    }

    /** The caller's runs, newest first, optionally filtered by state, model and dataset. */
    @GET
    @Operation(summary = "List runs", description = "Filters: state (comma-separated), model, dataset; page from 0, size 1-200.")
    public RunPage list(@QueryParam("state") String state, @QueryParam("model") String model,
                        @QueryParam("dataset") String dataset, @QueryParam("page") String page,
                        @QueryParam("size") String size) {
        String tenantId = tenant.id();
        int pageNumber = QueryParameters.integer("page", page, 0, 0, Integer.MAX_VALUE);
        int pageSize = QueryParameters.integer("size", size, 20, 1, MAX_PAGE_SIZE);
        return runs.list(tenantId, states(state), model, dataset, pageNumber, pageSize);
    }

    /** One of the caller's runs: state, counts, ETA, parameters and seed. */
    @GET
    @Path("{id}")
    @Operation(summary = "Show a run")
    public RunView show(@PathParam("id") String runId) {
        return runs.show(tenant.id(), runId);
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
        // The run is looked up before the body is read: an unknown run answers 404 whatever the body.
        runs.show(tenantId, runId);
        return Response.accepted(runs.cancel(tenantId, runId, reason(body), tenant.subject())).build();
    }

    /**
     * Deletes a finished run (204) and its stored results ({@code runs/{id}/}); a queued or running run
     * answers 409 (cancel it first).
     */
    @DELETE
    @Path("{id}")
    @Operation(summary = "Delete a finished run and its results")
    public Response delete(@PathParam("id") String runId) {
        runs.delete(tenant.id(), runId, tenant.subject());
        return Response.noContent().build();
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
