package dev.lumen.results.rest;

import dev.lumen.contracts.RunProgress;
import dev.lumen.results.insights.InsightsView;
import dev.lumen.results.insights.RunInsights;
import dev.lumen.results.insights.RunSeries;
import dev.lumen.service.rest.ProblemException;
import io.quarkus.security.Authenticated;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * A tag's slice across a series of the caller's runs ({@code GET /api/series?runs=A,B,C&tag=cage}), e.g.
 * models trained with more and more augmented images, each run over the same images: per run and class
 * the slice's score and in-box energy against the rest's. {@code format=csv} exports the numbers.
 */
@Path("/api/series")
@Authenticated
public class SeriesResource {

    /** Most runs one series takes. */
    static final int MAX_RUNS = 20;

    private final RunInsights insights;
    private final TenantRuns runs;

    public SeriesResource(RunInsights insights, TenantRuns runs) {
        this.insights = insights;
        this.runs = runs;
    }

    /** The series, as JSON or ({@code format=csv}) CSV. */
    @GET
    @Produces({MediaType.APPLICATION_JSON, "text/csv"})
    public Response series(@QueryParam("runs") String runIds, @QueryParam("tag") String tag, @QueryParam("format") String format) {
        if (runIds == null || runIds.isBlank()) {
            throw ProblemException.badField("runs", "a comma-separated list of run ids is needed: ?runs=A,B,C&tag=TAG");
        }
        if (tag == null || tag.isBlank()) {
            throw ProblemException.badField("tag", "the tag of the slice is needed, e.g. ?tag=cage");
        }
        if (format != null && !format.equals("json") && !format.equals("csv")) {
            throw ProblemException.badField("format", "must be json or csv");
        }
        List<String> ids = Arrays.stream(runIds.split(",")).map(String::strip).filter(s -> !s.isEmpty()).toList();
        if (ids.size() > MAX_RUNS) {
            throw ProblemException.badField("runs", "at most " + MAX_RUNS + " runs, got " + ids.size());
        }
        List<RunSeries.Run> series = new ArrayList<>();
        List<InsightsView> views = new ArrayList<>();
        for (String id : ids) {
            RunProgress progress = runs.progress(id);
            series.add(new RunSeries.Run(id, progress.name(), progress.method()));
            views.add(insights.insights(runs.owned(id)).orElseThrow(() -> TenantRuns.notFound(id)));
        }
        RunSeries result = RunSeries.of(tag, series, views);
        return "csv".equals(format)
                ? Response.ok(result.csv(), "text/csv").header("Content-Disposition", "attachment; filename=\"series.csv\"").build()
                : Response.ok(result, MediaType.APPLICATION_JSON).build();
    }
}
