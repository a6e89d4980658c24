package dev.lumen.results.rest;

import dev.lumen.contracts.RunProgress;
import dev.lumen.results.progress.RunTracker;
import dev.lumen.service.auth.CurrentTenant;
import dev.lumen.service.rest.ProblemException;
import jakarta.enterprise.context.ApplicationScoped;

import java.util.Comparator;
import java.util.List;
import java.util.Optional;

/**
 * The runs of the tenant named by the request's bearer token. Every REST view of a run goes through
 * here: another tenant's run answers 404 exactly like one that never existed, and listings hold only
 * the caller's runs, so nothing tells a tenant that another tenant's run id exists.
 */
@ApplicationScoped
public class TenantRuns {

    private final RunTracker tracker;
    private final CurrentTenant tenant;

    public TenantRuns(RunTracker tracker, CurrentTenant tenant) {
        this.tracker = tracker;
        this.tenant = tenant;
    }

    /** The caller's tenant id; resolve it on the request thread (streams outlive the request scope). */
    public String tenantId() {
        return tenant.id();
    }

    /**
     * The progress of one of the caller's runs.
     *
     * @throws ProblemException 400 for a malformed id, 404 for an unknown run or another tenant's
     */
    public RunProgress progress(String runId) {
        RunResultsResource.checkId(runId);
        String caller = tenantId();
        return tracker.progress(runId).filter(p -> caller.equals(p.tenant())).orElseThrow(() -> notFound(runId));
    }

    /** Checks that {@code runId} is one of the caller's runs (see {@link #progress}) and returns it. */
    public String owned(String runId) {
        return progress(runId).runId();
    }

    /** The progress of every run of the caller among {@code runIds}, newest request first. */
    public List<RunProgress> list(List<String> runIds) {
        String caller = tenantId();
        return runIds.stream()
                .map(tracker::progress)
                .flatMap(Optional::stream)
                .filter(p -> caller.equals(p.tenant()))
                .sorted(Comparator.comparing(RunProgress::requestedAt, Comparator.nullsLast(Comparator.reverseOrder())))
                .toList();
    }

    static ProblemException notFound(String runId) {
        return ProblemException.notFound("run-not-found", "run '" + runId + "' does not exist");
    }
}
