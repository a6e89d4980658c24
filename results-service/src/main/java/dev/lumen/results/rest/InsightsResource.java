package dev.lumen.results.rest;

import dev.lumen.results.insights.InsightsView;
import dev.lumen.results.insights.RunInsights;
import io.quarkus.security.Authenticated;
import dev.lumen.service.rest.QueryParameters;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;

/**
 * A run's dataset insights: per class the mean score, faithfulness, mean maps and in-box measures
 * against the ground truth (or the model's own boxes), the context-reliance ranking and the images
 * where the model looks away most. Live while the run is in progress ({@code complete: false}).
 */
@Path("/api/runs/{runId}/insights")
@Produces(MediaType.APPLICATION_JSON)
@Authenticated
public class InsightsResource {

    private final RunInsights insights;
    private final TenantRuns runs;
    private final OverlayLinks links;

    public InsightsResource(RunInsights insights, TenantRuns runs, OverlayLinks links) {
        this.insights = insights;
        this.runs = runs;
        this.links = links;
    }

    /**
     * The run's insights; {@code ?images=true} adds every explained target (the summary leaves them out).
     * Overlay links are presigned URLs.
     */
    @GET
    public InsightsView get(@PathParam("runId") String runId, @QueryParam("images") String imagesParam) {
        boolean images = QueryParameters.bool("images", imagesParam, false);
        InsightsView view = insights.insights(runs.owned(runId)).orElseThrow(() -> TenantRuns.notFound(runId));
        return links.presigned(images ? view : view.summary());
    }
}
