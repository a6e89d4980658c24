package dev.lumen.runs.service;

import dev.lumen.contracts.DatasetRef;
import dev.lumen.contracts.ModelRef;
import dev.lumen.contracts.RunCancelled;
import dev.lumen.contracts.RunDeleted;
import dev.lumen.contracts.RunRequested;
import dev.lumen.contracts.RunState;
import dev.lumen.runs.config.RunServiceConfig;
import dev.lumen.runs.domain.Ids;
import dev.lumen.runs.domain.RunPlanner;
import dev.lumen.runs.domain.RunRecord;
import dev.lumen.runs.domain.RunViews;
import dev.lumen.runs.messaging.RunRequestPublisher;
import dev.lumen.runs.rest.CreateRunRequest;
import dev.lumen.runs.rest.RunAccepted;
import dev.lumen.runs.rest.RunPage;
import dev.lumen.runs.rest.RunView;
import dev.lumen.runs.storage.RunStorage;
import dev.lumen.service.rest.ProblemException;
import io.micrometer.core.instrument.MeterRegistry;
import jakarta.enterprise.context.ApplicationScoped;
import org.jboss.logging.Logger;

import java.security.SecureRandom;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.function.Predicate;

/**
 * Runs of one tenant: accepts a run once it is checked completely (method, parameters, model,
 * dataset, sample) and publishes it for planning; lists, shows, cancels and deletes runs. Another
 * tenant's run answers 404 exactly like a run that never existed.
 */
@ApplicationScoped
public class RunService {

    private static final Logger LOG = Logger.getLogger(RunService.class);
    private static final SecureRandom SEEDS = new SecureRandom();

    private final RunPlanner planner;
    private final RunRequestPublisher publisher;
    private final RunViews views;
    private final RunStorage storage;
    private final IdempotentCommand idempotency;
    private final RunServiceConfig config;
    private final MeterRegistry metrics;

    public RunService(RunPlanner planner, RunRequestPublisher publisher, RunViews views, RunStorage storage,
                      IdempotentCommand idempotency, RunServiceConfig config, MeterRegistry metrics) {
        this.planner = planner;
        this.publisher = publisher;
        this.views = views;
        this.storage = storage;
        this.idempotency = idempotency;
        this.config = config;
        this.metrics = metrics;
    }

    /**
     * Accepts a run after checking it completely; nothing is published for a refused request. With an
     * {@code idempotencyKey}, a retry answers the first attempt's run instead of starting another.
     *
     * @throws ProblemException for anything wrong with the request or the key
     */
    public IdempotentCommand.Outcome<RunAccepted> create(String tenantId, CreateRunRequest body, String idempotencyKey) {
        if (body.imageCount() > config.maxImageCount()) {
            throw ProblemException.badField("imageCount", "must be at most " + config.maxImageCount());
        }
        return idempotency.run(tenantId, idempotencyKey, new IdempotentCommand.Steps<>("run", RunAccepted.class,
                () -> idempotency.digest(body), () -> prepare(tenantId, body), this::publish));
    }

    /**
     * One page of the tenant's runs, newest first.
     *
     * @param states the states to list
     * @param model the model to list runs of, or null for all
     * @param dataset the dataset to list runs of, or null for all
     */
    public RunPage list(String tenantId, Set<RunState> states, String model, String dataset, int page, int size) {
        Predicate<RunRecord> filter = run -> states.contains(run.state())
                && (model == null || model.equals(RunView.of(run, "").model()))
                && (dataset == null || dataset.equals(RunView.of(run, "").dataset()));
        List<RunRecord> matching = views.list(tenantId, filter);
        long from = Math.min((long) page * size, matching.size());
        long to = Math.min(from + size, matching.size());
        List<RunView> items = matching.subList((int) from, (int) to).stream()
                .map(run -> RunView.of(run, config.resultsBaseUrl())).toList();
        int totalPages = (int) ((matching.size() + size - 1) / size);
        return new RunPage(items, page, size, matching.size(), totalPages);
    }

    /**
     * One of the tenant's runs.
     *
     * @throws ProblemException 404 {@code run-not-found}
     */
    public RunView show(String tenantId, String runId) {
        return RunView.of(owned(tenantId, runId), config.resultsBaseUrl());
    }

    /**
     * Cancels a queued or running run: workers skip its remaining images and results-service reports
     * it CANCELLED. Cancelling a cancelled run again changes nothing.
     *
     * @param reason why, or null
     * @param by who asked, for the log
     * @throws ProblemException 404 {@code run-not-found}, 409 {@code run-finished}
     */
    public RunView cancel(String tenantId, String runId, String reason, String by) {
        RunRecord run = owned(tenantId, runId);
        if (run.cancelledAt() == null) {
            if (run.state().terminal()) {
                throw ProblemException.conflict("run-finished", "run '" + runId + "' is already " + run.state());
            }
            Instant now = Instant.now();
            // Marker first: from then on workers skip the run's tasks, even if the event never got out.
            storage.markCancelled(runId, tenantId, reason, now);
            publisher.publishCancelled(new RunCancelled(runId, tenantId, reason));
            views.cancelled(runId, now);
            metrics.counter("lumen.runs.cancelled").increment();
            LOG.infof("run %s: cancelled by %s%s", runId, by, reason == null ? "" : " (" + reason + ")");
        }
        return RunView.of(views.find(tenantId, runId).orElse(run), config.resultsBaseUrl());
    }

    /**
     * Deletes a finished run and its stored results ({@code runs/{id}/}).
     *
     * @param by who asked, for the log
     * @throws ProblemException 404 {@code run-not-found}, 409 {@code run-active} while queued or running
     */
    public void delete(String tenantId, String runId, String by) {
        RunRecord run = owned(tenantId, runId);
        if (!run.state().terminal()) {
            throw ProblemException.conflict("run-active", "run '" + runId + "' is " + run.state()
                    + "; cancel it first (POST /api/runs/" + runId + "/cancel)");
        }
        // Storage first: a crash before the event leaves the run listed, and deleting again finishes it.
        int removed = storage.deleteRun(runId);
        publisher.publishDeleted(new RunDeleted(runId, tenantId));
        views.deleted(runId);
        metrics.counter("lumen.runs.deleted").increment();
        LOG.infof("run %s: deleted by %s (%d stored objects removed)", runId, by, removed);
    }

    private RunRecord owned(String tenantId, String runId) {
        if (!Ids.valid(runId)) {
            throw ProblemException.notFound("run-not-found", "run does not exist");
        }
        return views.find(tenantId, runId).orElseThrow(() ->
                ProblemException.notFound("run-not-found", "run '" + runId + "' does not exist"));
    }

    /** Checks and plans: throws the problem for anything wrong, before anything is recorded or sent. */
    private IdempotentCommand.Prepared<RunAccepted> prepare(String tenantId, CreateRunRequest body) {
        String runId = "run-" + UUID.randomUUID();
        long seed = body.seed() != null ? body.seed() : SEEDS.nextLong() & Long.MAX_VALUE;
        RunRequested request = new RunRequested(runId, tenantId, body.name(), body.method(),
                new ModelRef(body.model()), new DatasetRef(body.dataset()), body.imageCount(), seed,
                body.allowFewer(), body.parameters() == null ? Map.of() : body.parameters());
        RunPlanner.Plan plan = planner.plan(request);
        // self is this service's view of the run, recorded before the 202 goes out, so it answers at once;
        // results-service learns of the run from the request event a moment later (decision 0027).
        Map<String, String> links = Map.of(
                "self", "/api/runs/" + runId,
                "results", config.resultsBaseUrl() + "/api/runs/" + runId,
                "ui", config.resultsBaseUrl() + "/run.html?id=" + runId);
        return new IdempotentCommand.Prepared<>(runId, request,
                new RunAccepted(runId, "QUEUED", seed, plan.images().size(), plan.warnings(), links));
    }

    /**
     * Publishes an accepted run. Publishing a request again (same run id, after an interrupted attempt)
     * is safe: the planner and the views dedupe by run id.
     */
    private RunAccepted publish(IdempotentCommand.Prepared<RunAccepted> accepted) {
        RunRequested request = accepted.request();
        publisher.publish(request);
        views.accepted(request, Instant.now(), accepted.answer().imageCount());
        metrics.counter("lumen.runs.accepted").increment();
        LOG.infof("run %s: accepted for tenant %s (%s on model %s, %d images of dataset %s, seed %d)", request.runId(),
                request.tenant(), request.method(), request.model().id(), accepted.answer().imageCount(),
                request.dataset().id(), request.seed());
        return accepted.answer();
    }
}
