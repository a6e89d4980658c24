package dev.lumen.results.rest;

import dev.lumen.contracts.RunProgress;
import dev.lumen.contracts.RunRequested;
import dev.lumen.results.storage.RunRecords;
import io.quarkus.security.Authenticated;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;

import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * The caller's other runs over the same sampled images as a run ({@code GET /api/runs/{id}/comparable}):
 * same dataset, same seed and same image count, which run-service's seeded sampling turns into the same
 * images. These are the runs a comparison makes sense with; the web UI links to them.
 */
@Path("/api/runs/{runId}/comparable")
@Produces(MediaType.APPLICATION_JSON)
@Authenticated
public class ComparableRunsResource {

    private final TenantRuns runs;
    private final RunRecords records;

    public ComparableRunsResource(TenantRuns runs, RunRecords records) {
        this.runs = runs;
        this.records = records;
    }

    /** Progress of the comparable runs, newest first; empty when the run was sampled without a seed. */
    @GET
    public List<RunProgress> comparable(@PathParam("runId") String runId) {
        RunProgress run = runs.progress(runId);
        Optional<RunRequested> sample = sample(runId).filter(r -> r.seed() != null);
        if (sample.isEmpty()) {
            return List.of();
        }
        return runs.list(records.runIds()).stream()
                .filter(p -> !p.runId().equals(runId) && Objects.equals(p.datasetId(), run.datasetId()))
                .filter(p -> sample(p.runId()).filter(r -> sameSample(r, sample.get())).isPresent())
                .toList();
    }

    private Optional<RunRequested> sample(String runId) {
        return records.request(runId).map(RunRecords.StoredRun::request);
    }

    private static boolean sameSample(RunRequested a, RunRequested b) {
        return Objects.equals(a.seed(), b.seed()) && a.imageCount() == b.imageCount()
                && a.dataset() != null && b.dataset() != null && Objects.equals(a.dataset().id(), b.dataset().id());
    }
}
