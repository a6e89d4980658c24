package dev.lumen.results.rest;

import dev.lumen.contracts.RunProgress;
import dev.lumen.contracts.RunRequested;
import dev.lumen.results.storage.RunRecords;
import jakarta.enterprise.context.ApplicationScoped;

import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * The caller's other runs over the same sampled images as a run: same dataset, same seed and same
 * image count, which run-service's seeded sampling turns into the same images. These are the runs a
 * comparison or an agreement makes sense with.
 */
@ApplicationScoped
public class ComparableRuns {

    private final TenantRuns runs;
    private final RunRecords records;

    public ComparableRuns(TenantRuns runs, RunRecords records) {
        this.runs = runs;
        this.records = records;
    }

    /** Progress of the runs comparable with one of the caller's runs; empty when it was sampled without a seed. */
    public List<RunProgress> of(String runId) {
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
