package dev.lumen.results.rest;

import dev.lumen.results.insights.InsightsView;
import dev.lumen.results.insights.RunInsights;
import dev.lumen.service.rest.ProblemException;
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
public class InsightsResource {

    private final RunInsights insights;

    public InsightsResource(RunInsights insights) {
        this.insights = insights;
    }

    /**
     * The run's insights; {@code ?images=true} adds every explained target (the summary leaves them out).
     */
    @GET
    public InsightsView get(@PathParam("runId") String runId, @QueryParam("images") boolean images) {
        InsightsView view = insights.insights(RunResultsResource.checkId(runId)).orElseThrow(() ->
                ProblemException.notFound("run-not-found", "run '" + runId + "' does not exist"));
        return images ? view : view.summary();
    }
}
