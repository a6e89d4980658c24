package dev.lumen.results.rest;

import dev.lumen.results.insights.ComparisonView;
import dev.lumen.results.insights.Comparisons;
import dev.lumen.results.insights.InsightsView;
import dev.lumen.results.insights.MapAgreements;
import dev.lumen.results.insights.RunAgreement;
import dev.lumen.results.insights.RunInsights;
import dev.lumen.service.rest.ProblemException;
import io.quarkus.security.Authenticated;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;

/**
 * Two runs over the same sampled images side by side ({@code GET /api/comparisons?a=RUN&b=RUN&sort=energy|score|moved}):
 * images paired by image id with both overlays, and per class the change in in-box energy and in
 * score, largest change first.
 */
@Path("/api/comparisons")
@Produces(MediaType.APPLICATION_JSON)
@Authenticated
public class ComparisonResource {

    private final RunInsights insights;
    private final TenantRuns runs;
    private final OverlayLinks links;
    private final MapAgreements agreements;

    public ComparisonResource(RunInsights insights, TenantRuns runs, OverlayLinks links, MapAgreements agreements) {
        this.insights = insights;
        this.runs = runs;
        this.links = links;
        this.agreements = agreements;
    }

    /** Compares run {@code a} with run {@code b}, both the caller's (changes are b minus a); overlays are presigned URLs. */
    @GET
    public ComparisonView compare(@QueryParam("a") String a, @QueryParam("b") String b, @QueryParam("sort") String sort) {
        if (a == null || b == null) {
            throw ProblemException.badField(a == null ? "a" : "b", "two run ids are needed: ?a=RUN&b=RUN");
        }
        if (sort != null && !sort.equals(Comparisons.ENERGY) && !sort.equals(Comparisons.SCORE)
                && !sort.equals(Comparisons.MOVED)) {
            throw ProblemException.badField("sort", "must be energy, score or moved");
        }
        InsightsView insightsA = load(a);
        InsightsView insightsB = load(b);
        RunAgreement agreement = agreements.between(insightsA, runs.progress(a).method(), insightsB, runs.progress(b).method());
        return links.presigned(Comparisons.compare(insightsA, insightsB, agreement, sort));
    }

    private InsightsView load(String runId) {
        return insights.insights(runs.owned(runId)).orElseThrow(() -> TenantRuns.notFound(runId));
    }
}
