package dev.lumen.results.rest;

import dev.lumen.contracts.ImageResult;
import dev.lumen.contracts.RunProgress;
import dev.lumen.results.storage.ResultIndex;
import dev.lumen.results.storage.ResultLayout;
import dev.lumen.results.storage.RunRecords;
import dev.lumen.results.storage.StoredResult;
import dev.lumen.service.rest.ProblemException;
import dev.lumen.service.storage.ObjectStore;
import io.quarkus.security.Authenticated;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

import java.util.List;
import java.util.regex.Pattern;

/**
 * The caller's runs: progress and results, and the stored image files. {@code GET /api/runs/{id}}
 * lists every image (the CLI and scripts rely on its shape); browsers use the paginated
 * {@link ResultsResource} instead.
 */
@Path("/api/runs")
@Produces(MediaType.APPLICATION_JSON)
@Authenticated
public class RunResultsResource {

    private static final Pattern ID = Pattern.compile("^[A-Za-z0-9._-]{1,128}$");
    private static final Pattern FILE = Pattern.compile("^(saliency|heatmap|overlay)-\\d{1,3}\\.png$");

    private final TenantRuns runs;
    private final RunRecords records;
    private final ObjectStore store;
    private final ResultIndex index;

    public RunResultsResource(TenantRuns runs, RunRecords records, ObjectStore store, ResultIndex index) {
        this.runs = runs;
        this.records = records;
        this.store = store;
        this.index = index;
    }

    /** The progress of every run of the caller's tenant, newest request first. */
    @GET
    public List<RunProgress> list() {
        return runs.list(records.runIds());
    }

    /** One run: state, counts, ETA and per-image links. */
    @GET
    @Path("{runId}")
    public RunResultsView get(@PathParam("runId") String runId) {
        RunProgress progress = runs.progress(runId);
        List<ImageView> images = index.results(runId, progress.done()).stream()
                .sorted(StoredResult.BY_IMAGE_ID)
                .map(r -> view(runId, r))
                .toList();
        return new RunResultsView(progress, images);
    }

    /** One run's progress alone: state, counts, throughput and ETA, without the image list. */
    @GET
    @Path("{runId}/progress")
    public RunProgress progress(@PathParam("runId") String runId) {
        return runs.progress(runId);
    }

    /** A stored image file of a run. */
    @GET
    @Path("{runId}/images/{imageId}/{file}")
    @Produces("image/png")
    public Response file(@PathParam("runId") String runId, @PathParam("imageId") String imageId,
                         @PathParam("file") String file) {
        runs.owned(runId);
        checkId(imageId);
        if (!FILE.matcher(file).matches()) {
            throw ProblemException.notFound("file-not-found", "no file '" + file + "'");
        }
        byte[] bytes = store.get(ResultLayout.imagePrefix(runId, imageId) + file).orElseThrow(() ->
                ProblemException.notFound("file-not-found", "run '" + runId + "' image '" + imageId + "' has no " + file));
        return Response.ok(bytes, "image/png").header("Cache-Control", "private, max-age=3600").build();
    }

    /** The original image of a result. */
    @GET
    @Path("{runId}/images/{imageId}/original")
    public Response original(@PathParam("runId") String runId, @PathParam("imageId") String imageId) {
        StoredResult result = records.result(runs.owned(runId), checkId(imageId)).orElseThrow(() ->
                ProblemException.notFound("image-not-found", "run '" + runId + "' has no image '" + imageId + "'"));
        byte[] bytes = store.get(result.result().imageKey()).orElseThrow(() ->
                ProblemException.notFound("image-not-found", "original of image '" + imageId + "' is gone"));
        return Response.ok(bytes, contentType(result.result().imageKey())).build();
    }

    private static ImageView view(String runId, StoredResult r) {
        String base = "/api/runs/" + runId + "/images/" + r.result().imageId() + "/";
        List<ImageView.TargetView> targets = r.explanations() == null ? null : r.explanations().stream()
                .map(e -> new ImageView.TargetView(e.target(), e.metrics(), base + e.saliency(), base + e.heatmap(),
                        base + e.overlay()))
                .toList();
        ImageResult image = r.result();
        return new ImageView(image.imageId(), image.outcome(), image.reason(), image.width(), image.height(),
                base + "original", targets);
    }

    /** {@code id} if it is a valid run or image id; a 400 problem otherwise. */
    static String checkId(String id) {
        if (id == null || !ID.matcher(id).matches()) {
            throw ProblemException.badField("id", "must be 1-128 characters of letters, digits, '.', '_' or '-'");
        }
        return id;
    }

    private static String contentType(String key) {
        String lower = key.toLowerCase(java.util.Locale.ROOT);
        if (lower.endsWith(".png")) {
            return "image/png";
        }
        if (lower.endsWith(".jpg") || lower.endsWith(".jpeg")) {
            return "image/jpeg";
        }
        return "application/octet-stream";
    }
}
