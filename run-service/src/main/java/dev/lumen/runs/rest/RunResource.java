package dev.lumen.runs.rest;

import dev.lumen.contracts.DatasetRef;
import dev.lumen.contracts.ModelRef;
import dev.lumen.contracts.RunRequested;
import dev.lumen.runs.config.RunServiceConfig;
import dev.lumen.runs.domain.RunPlanner;
import dev.lumen.runs.messaging.RunRequestPublisher;
import dev.lumen.service.rest.ProblemException;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotNull;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import org.jboss.logging.Logger;

import java.net.URI;
import java.security.SecureRandom;
import java.util.Map;
import java.util.UUID;

/** The front door for runs: checks a request completely, then publishes it for planning. */
@Path("/api/runs")
@Produces(MediaType.APPLICATION_JSON)
@Consumes(MediaType.APPLICATION_JSON)
public class RunResource {

    private static final Logger LOG = Logger.getLogger(RunResource.class);
    private static final SecureRandom SEEDS = new SecureRandom();

    private final RunPlanner planner;
    private final RunRequestPublisher publisher;
    private final RunServiceConfig config;

    public RunResource(RunPlanner planner, RunRequestPublisher publisher, RunServiceConfig config) {
        this.planner = planner;
        this.publisher = publisher;
        this.config = config;
    }

    /**
     * Accepts a run (202) after checking the method, the model, the dataset and the sample; nothing is
     * published for a rejected request.
     */
    @POST
    public Response create(@Valid @NotNull(message = "a JSON body is required") CreateRunRequest body) {
        if (body.imageCount() > config.maxImageCount()) {
            throw ProblemException.badField("imageCount", "must be at most " + config.maxImageCount());
        }
        String runId = "run-" + UUID.randomUUID();
        long seed = body.seed() != null ? body.seed() : SEEDS.nextLong() & Long.MAX_VALUE;
        RunRequested request = new RunRequested(runId, config.defaultTenant(), body.name(), body.method(),
                new ModelRef(body.model()), new DatasetRef(body.dataset()), body.imageCount(), seed,
                body.allowFewer(), body.parameters() == null ? Map.of() : body.parameters());
        RunPlanner.Plan plan = planner.plan(request);
        publisher.publish(request);
        LOG.infof("run %s: accepted (%s on model %s, %d images of dataset %s, seed %d)", runId, body.method(),
                body.model(), plan.images().size(), body.dataset(), seed);
        Map<String, String> links = Map.of(
                "self", config.resultsBaseUrl() + "/api/runs/" + runId,
                "ui", config.resultsBaseUrl() + "/runs/" + runId);
        return Response.accepted(new RunAccepted(runId, "QUEUED", seed, plan.images().size(), plan.warnings(), links))
                .location(URI.create(config.resultsBaseUrl() + "/api/runs/" + runId))
                .build();
    }
}
