package dev.lumen.results.rest;

import dev.lumen.contracts.RunProgress;
import dev.lumen.results.insights.InsightsView;
import dev.lumen.results.insights.MapAgreements;
import dev.lumen.results.insights.RunAgreement;
import dev.lumen.results.insights.RunInsights;
import dev.lumen.service.rest.QueryParameters;
import io.quarkus.security.Authenticated;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Part of a run's insights ({@code GET /api/runs/{id}/insights/agreement}): how its maps agree with
 * those of every comparable run (same images; e.g. ODAM and D-RISE on one detector): Pearson
 * correlation of the paired maps and the pointing-game agreement, one {@link RunAgreement} per run,
 * the run itself as {@code a}. {@code ?targets=true} adds every pair, least correlated first.
 */
@Path("/api/runs/{runId}/insights/agreement")
@Produces(MediaType.APPLICATION_JSON)
@Authenticated
public class AgreementResource {

    private final RunInsights insights;
    private final TenantRuns runs;
    private final ComparableRuns comparable;
    private final MapAgreements agreements;

    public AgreementResource(RunInsights insights, TenantRuns runs, ComparableRuns comparable, MapAgreements agreements) {
        this.insights = insights;
        this.runs = runs;
        this.comparable = comparable;
        this.agreements = agreements;
    }

    /** The run's agreement with each comparable run that has insights, newest run first. */
    @GET
    public List<RunAgreement> agreement(@PathParam("runId") String runId, @QueryParam("targets") String targetsParam) {
        boolean targets = QueryParameters.bool("targets", targetsParam, false);
        RunProgress run = runs.progress(runId);
        InsightsView own = insights.insights(runs.owned(runId)).orElseThrow(() -> TenantRuns.notFound(runId));
        List<RunAgreement> result = new ArrayList<>();
        for (RunProgress other : comparable.of(runId)) {
            Optional<InsightsView> theirs = insights.insights(other.runId());
            theirs.map(view -> agreements.between(own, run.method(), view, other.method()))
                    .map(a -> targets ? a : a.summary())
                    .ifPresent(result::add);
        }
        return result;
    }
}
