package dev.lumen.results.rest;

import dev.lumen.results.previews.PreviewStore;
import io.quarkus.security.Authenticated;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;

import java.util.List;

/**
 * {@code GET /api/runs/{id}/previews}: the latest map of every target of the run's images still being
 * explained by RISE or D-RISE (decision 0045), empty when none is. Tenant-scoped like every run view.
 */
@Path("/api/runs/{runId}/previews")
@Produces(MediaType.APPLICATION_JSON)
@Authenticated
public class PreviewsResource {

    private final TenantRuns runs;
    private final PreviewStore previews;

    public PreviewsResource(TenantRuns runs, PreviewStore previews) {
        this.runs = runs;
        this.previews = previews;
    }

    @GET
    public List<PreviewView> list(@PathParam("runId") String runId) {
        return previews.previews(runs.owned(runId)).stream().map(PreviewView::of).toList();
    }
}
