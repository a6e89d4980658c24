package dev.lumen.results.rest;

import dev.lumen.contracts.ImageResult;
import dev.lumen.contracts.Outcome;
import dev.lumen.contracts.RunProgress;
import dev.lumen.results.config.ResultsConfig;
import dev.lumen.results.insights.ErrorTypes;
import dev.lumen.results.storage.ResultIndex;
import dev.lumen.results.storage.ResultLayout;
import dev.lumen.results.storage.RunRecords;
import dev.lumen.results.storage.StoredResult;
import dev.lumen.results.storage.StoredResult.StoredExplanation;
import dev.lumen.service.rest.ProblemException;
import dev.lumen.service.rest.QueryParameters;
import dev.lumen.service.storage.ObjectStore;
import io.quarkus.security.Authenticated;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;

import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * A run's results for people and the web UI: filtered, sorted and paginated, with image URLs
 * presigned for the S3 endpoint the browser uses ({@code S3_PUBLIC_ENDPOINT}), so image bytes never
 * pass through this service.
 */
@Path("/api/runs/{runId}/results")
@Produces(MediaType.APPLICATION_JSON)
@Authenticated
public class ResultsResource {

    private final TenantRuns runs;
    private final RunRecords records;
    private final ResultIndex index;
    private final ObjectStore store;
    private final ResultsConfig config;

    public ResultsResource(TenantRuns runs, RunRecords records, ResultIndex index, ObjectStore store,
                           ResultsConfig config) {
        this.runs = runs;
        this.records = records;
        this.index = index;
        this.store = store;
        this.config = config;
    }

    /**
     * One page of the run's results.
     *
     * @param page zero-based page, default 0
     * @param size results per page, default {@code lumen.results.default-page-size}
     * @param label only images with an explained target of this label
     * @param outcome only {@code explained}, {@code skipped} or {@code failed} images
     * @param error only images with a prediction of this error type against ground truth (or a missed
     *              object for {@code missed}); with {@code label}, one of that label
     * @param sort {@code image} (default), {@code score}, {@code deletion}, {@code insertion} or
     *             {@code faithfulness} (insertion minus deletion AUC)
     * @param order {@code asc} or {@code desc}; default: best first
     */
    @GET
    public ResultPage list(@PathParam("runId") String runId, @QueryParam("page") String page,
                           @QueryParam("size") String size, @QueryParam("label") String label,
                           @QueryParam("outcome") String outcome, @QueryParam("error") String error,
                           @QueryParam("sort") String sort,
                           @QueryParam("order") String order) {
        RunProgress progress = runs.progress(runId);
        ResultQuery query = ResultQuery.parse(QueryParameters.integer("page", page), QueryParameters.integer("size", size),
                label, outcome, error, sort, order, config.defaultPageSize(),
                config.maxPageSize());
        List<StoredResult> all = index.results(runId, progress.done());
        List<StoredResult> selected = query.select(all);
        Instant expires = Instant.now().plus(config.urlTtl());
        List<ResultItem> items = query.page(selected).stream().map(r -> item(runId, r, query)).toList();
        return new ResultPage(runId, query.page(), query.size(), selected.size(), query.pages(selected.size()),
                query.sort().id(), query.descending() ? "desc" : "asc", query.label(),
                query.outcome() == null ? null : query.outcome().name().toLowerCase(Locale.ROOT), query.error(),
                outcomes(all), labels(all), errors(all), expires, items);
    }

    /** One image's result: outcome, predictions, targets with boxes, metrics and presigned image URLs. */
    @GET
    @Path("{imageId}")
    public ResultItem get(@PathParam("runId") String runId, @PathParam("imageId") String imageId) {
        runs.owned(runId);
        RunResultsResource.checkId(imageId);
        StoredResult result = records.result(runId, imageId).orElseThrow(() ->
                ProblemException.notFound("image-not-found", "run '" + runId + "' has no result for image '" + imageId + "'"));
        return item(runId, result, null);
    }

    /** The item with explanations in stored order (K), the primary one of the query first. */
    private ResultItem item(String runId, StoredResult r, ResultQuery query) {
        List<ResultItem.MapItem> maps = null;
        if (r.explanations() != null) {
            String prefix = ResultLayout.imagePrefix(runId, r.result().imageId());
            StoredExplanation primary = query == null ? null : query.primary(r);
            List<Integer> order = new ArrayList<>();
            for (int k = 0; k < r.explanations().size(); k++) {
                if (r.explanations().get(k) == primary) {
                    order.add(0, k);
                } else {
                    order.add(k);
                }
            }
            maps = new ArrayList<>();
            for (int k : order) {
                StoredExplanation e = r.explanations().get(k);
                maps.add(new ResultItem.MapItem(k, e.target(), e.metrics(), ResultQuery.faithfulness(e),
                        url(prefix + e.saliency()), url(prefix + e.heatmap()), url(prefix + e.overlay())));
            }
        }
        ImageResult image = r.result();
        return new ResultItem(image.imageId(), image.outcome(), image.reason(), image.width(), image.height(),
                image.method(), image.model() == null ? null : image.model().id(), image.targetLayer(),
                image.predictions(), maps, image.evaluation(),
                image.evaluation() == null ? null : List.copyOf(ErrorTypes.of(image)), image.timing(), image.worker(),
                image.imageKey() == null ? null : url(image.imageKey()),
                "/api/runs/" + runId + "/results/" + image.imageId());
    }

    private String url(String key) {
        return store.presignGet(key, config.urlTtl());
    }

    private static Map<String, Integer> outcomes(List<StoredResult> all) {
        Map<String, Integer> counts = new TreeMap<>();
        for (Outcome outcome : Outcome.values()) {
            counts.put(outcome.name().toLowerCase(Locale.ROOT), 0);
        }
        all.forEach(r -> counts.merge(r.result().outcome().name().toLowerCase(Locale.ROOT), 1, Integer::sum));
        return counts;
    }

    private static Map<String, Integer> labels(List<StoredResult> all) {
        Map<String, Integer> counts = new TreeMap<>();
        for (StoredResult r : all) {
            // Count images, not maps: an image with two "person" boxes counts once for "person".
            Set<String> seen = new LinkedHashSet<>();
            ResultQuery.explanations(r).stream().filter(e -> e.target() != null && e.target().label() != null)
                    .forEach(e -> seen.add(e.target().label()));
            seen.forEach(l -> counts.merge(l, 1, Integer::sum));
        }
        return counts;
    }

    /** Images per error type, in display order; null when no image has an evaluation. */
    private static Map<String, Integer> errors(List<StoredResult> all) {
        if (all.stream().allMatch(r -> r.result().evaluation() == null)) {
            return null;
        }
        Map<String, Integer> counts = new LinkedHashMap<>();
        for (String type : ErrorTypes.ALL) {
            counts.put(type, 0);
        }
        all.forEach(r -> ErrorTypes.of(r.result()).forEach(type -> counts.merge(type, 1, Integer::sum)));
        return counts;
    }
}
