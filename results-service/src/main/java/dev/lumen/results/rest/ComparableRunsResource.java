package dev.lumen.results.rest;

import dev.lumen.contracts.RunProgress;
import io.quarkus.security.Authenticated;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;

import java.util.List;

/**
 * The caller's other runs over the same sampled images as a run ({@code GET /api/runs/{id}/comparable}):
 * see {@link ComparableRuns}. The web UI links to them.
 */
@Path("/api/runs/{runId}/comparable")
@Produces(MediaType.APPLICATION_JSON)
@Authenticated
public class ComparableRunsResource {

    private final ComparableRuns comparable;

    public ComparableRunsResource(ComparableRuns comparable) {
        this.comparable = comparable;
    }

    /** Progress of the comparable runs, newest first; empty when the run was sampled without a seed. */
    @GET
    public List<RunProgress> comparable(@PathParam("runId") String runId) {
        return comparable.of(runId);
    }
}
