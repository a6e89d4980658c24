package dev.lumen.results.rest;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.lumen.contracts.ImageResult;
import dev.lumen.contracts.PredictionMatch;
import dev.lumen.contracts.Target;
import dev.lumen.results.insights.ClassErrors;
import dev.lumen.results.insights.ErrorInsights;
import dev.lumen.results.insights.ImageInsight;
import dev.lumen.results.insights.InsightsView;
import dev.lumen.results.insights.RunInsights;
import dev.lumen.results.storage.ResultLayout;
import dev.lumen.results.storage.RunRecords;
import dev.lumen.results.storage.StoredResult;
import dev.lumen.service.storage.ObjectStore;
import io.quarkus.security.Authenticated;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.StreamingOutput;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;

/**
 * A run's results in one zip ({@code GET /api/runs/{id}/export}):
 * <pre>
 * annotations.json                  COCO-style: images, categories, one annotation per explained target
 *                                   (bbox of the target when it has one, score, metrics, in-box measures,
 *                                   and the paths of its saliency, heatmap and overlay PNGs in the zip)
 * metrics.csv                       one row per image and target, with the target's role and, for a
 *                                   prediction matched against ground truth, its error type, true label and IoU
 * errors.csv                        per class, predictions per error type, precision and recall (when the
 *                                   run has an evaluation against ground truth)
 * insights.json                     the run's insights with every target (and the error counts)
 * images/{imageId}/saliency-K.png   16-bit map, heatmap-K.png, overlay-K.png
 * </pre>
 */
@Path("/api/runs/{runId}/export")
@Authenticated
public class ExportResource {

    private final TenantRuns runs;
    private final RunRecords records;
    private final RunInsights insights;
    private final ObjectStore store;
    private final ObjectMapper mapper;

    public ExportResource(TenantRuns runs, RunRecords records, RunInsights insights, ObjectStore store, ObjectMapper mapper) {
        this.runs = runs;
        this.records = records;
        this.insights = insights;
        this.store = store;
        this.mapper = mapper;
    }

    /** The zip of one of the caller's runs. */
    @GET
    @Produces("application/zip")
    public Response export(@PathParam("runId") String runId) {
        runs.owned(runId);
        List<StoredResult> results = records.results(runId).stream()
                .sorted(StoredResult.BY_IMAGE_ID).toList();
        Optional<InsightsView> view = insights.insights(runId);
        Map<String, ImageInsight> measured = new HashMap<>();
        view.map(InsightsView::images).ifPresent(list -> list.forEach(i -> measured.put(i.imageId() + "#" + i.target(), i)));
        StreamingOutput body = out -> write(out, runId, results, measured, view.orElse(null));
        return Response.ok(body, "application/zip")
                .header("Content-Disposition", "attachment; filename=\"lumen-run-" + runId + ".zip\"")
                .build();
    }

    private void write(OutputStream out, String runId, List<StoredResult> results, Map<String, ImageInsight> measured,
                       InsightsView view) throws IOException {
        ZipOutputStream zip = new ZipOutputStream(out);
        ObjectNode coco = mapper.createObjectNode();
        coco.putObject("info").put("description", "Lumen run " + runId).put("run_id", runId);
        ArrayNode images = coco.putArray("images");
        ArrayNode annotations = coco.putArray("annotations");
        Map<String, Integer> categories = new LinkedHashMap<>();
        StringBuilder csv = new StringBuilder("image_id,outcome,target,label,score,deletion_auc,insertion_auc,"
                + "in_box_energy,box_share,lift,context_reliance,pointing_hit,reference,saliency,heatmap,overlay,"
                + "context_reference,object_drop,context_drop,role,error_type,true_label,iou\n");
        int imageNumber = 0;
        int annotationNumber = 0;
        for (StoredResult result : results) {
            imageNumber++;
            String imageId = result.result().imageId();
            String outcome = String.valueOf(result.result().outcome());
            ObjectNode image = images.addObject();
            image.put("id", imageNumber).put("file_name", imageId).put("lumen_image_id", imageId)
                    .put("outcome", outcome);
            if (result.result().width() != null) {
                image.put("width", result.result().width()).put("height", result.result().height());
            }
            if (result.explanations() == null) {
                csv.append(csvRow(imageId, outcome, "", "", "", "", "", "", "", "", "", "", "", "", "", "", "", "", "", "", "", "", ""));
                continue;
            }
            String prefix = ResultLayout.imagePrefix(runId, imageId);
            for (int k = 0; k < result.explanations().size(); k++) {
                StoredResult.StoredExplanation e = result.explanations().get(k);
                String dir = "images/" + imageId + "/";
                for (String file : List.of(e.saliency(), e.heatmap(), e.overlay())) {
                    Optional<byte[]> bytes = store.get(prefix + file);
                    if (bytes.isPresent()) {
                        zip.putNextEntry(new ZipEntry(dir + file));
                        zip.write(bytes.get());
                        zip.closeEntry();
                    }
                }
                int category = categories.computeIfAbsent(e.target().label(), l -> categories.size() + 1);
                ImageInsight insight = measured.get(imageId + "#" + k);
                PredictionMatch match = matchOf(result, e.target());
                ObjectNode annotation = annotations.addObject();
                annotation.put("id", ++annotationNumber).put("image_id", imageNumber).put("category_id", category)
                        .put("target", k).put("kind", e.target().kind()).put("score", e.target().score());
                List<Double> box = e.target().box();
                if (box != null && box.size() == 4) {
                    annotation.putArray("bbox").add(box.get(0)).add(box.get(1))
                            .add(box.get(2) - box.get(0)).add(box.get(3) - box.get(1));
                }
                annotation.put("saliency", dir + e.saliency()).put("heatmap", dir + e.heatmap()).put("overlay", dir + e.overlay());
                Double deletion = e.metrics() == null ? null : e.metrics().deletionAuc();
                Double insertion = e.metrics() == null ? null : e.metrics().insertionAuc();
                if (deletion != null) {
                    annotation.put("deletion_auc", deletion);
                }
                if (insertion != null) {
                    annotation.put("insertion_auc", insertion);
                }
                if (insight != null && insight.inBoxEnergy() != null) {
                    annotation.put("in_box_energy", insight.inBoxEnergy()).put("box_share", insight.boxShare())
                            .put("lift", insight.lift()).put("pointing_hit", insight.pointingHit())
                            .put("reference", insight.reference());
                    if (insight.contextReliance() != null) {
                        annotation.put("context_reliance", insight.contextReliance());
                    }
                }
                if (insight != null && insight.contextDrop() != null) {
                    annotation.put("context_reference", insight.contextReference())
                            .put("object_drop", insight.objectDrop()).put("context_drop", insight.contextDrop());
                }
                if (e.target().role() != null) {
                    annotation.put("role", e.target().role());
                }
                if (match != null) {
                    annotation.put("error_type", match.type());
                    if (match.trueLabel() != null) {
                        annotation.put("true_label", match.trueLabel());
                    }
                    if (match.iou() != null) {
                        annotation.put("iou", match.iou());
                    }
                }
                csv.append(csvRow(imageId, outcome, String.valueOf(k), e.target().label(),
                        number(e.target().score()), number(deletion), number(insertion),
                        insight == null ? "" : number(insight.inBoxEnergy()),
                        insight == null ? "" : number(insight.boxShare()), insight == null ? "" : number(insight.lift()),
                        insight == null ? "" : number(insight.contextReliance()),
                        insight == null || insight.pointingHit() == null ? "" : insight.pointingHit().toString(),
                        insight == null ? "" : insight.reference(), dir + e.saliency(), dir + e.heatmap(), dir + e.overlay(),
                        insight == null || insight.contextReference() == null ? "" : insight.contextReference(),
                        insight == null ? "" : number(insight.objectDrop()), insight == null ? "" : number(insight.contextDrop()),
                        e.target().role(), match == null ? "" : match.type(), match == null ? "" : match.trueLabel(),
                        match == null ? "" : number(match.iou())));
            }
        }
        ErrorInsights errors = view == null ? null : view.errors();
        Map<String, ClassErrors> errorsByClass = new HashMap<>();
        if (errors != null) {
            errors.classes().forEach(c -> errorsByClass.put(c.label(), c));
            // A class only ever missed has no explained target, but its missed objects still count.
            errors.classes().forEach(c -> categories.computeIfAbsent(c.label(), l -> categories.size() + 1));
        }
        ArrayNode categoryList = coco.putArray("categories");
        categories.forEach((name, id) -> {
            ObjectNode category = categoryList.addObject().put("id", id).put("name", name);
            ClassErrors classErrors = errorsByClass.get(name);
            if (classErrors != null) {
                ObjectNode counts = category.putObject("error_counts");
                classErrors.counts().forEach(counts::put);
                category.put("predictions", classErrors.predictions());
                if (classErrors.precision() != null) {
                    category.put("precision", classErrors.precision());
                }
                if (classErrors.recall() != null) {
                    category.put("recall", classErrors.recall());
                }
            }
        });
        entry(zip, "annotations.json", mapper.writerWithDefaultPrettyPrinter().writeValueAsBytes(coco));
        entry(zip, "metrics.csv", csv.toString().getBytes(StandardCharsets.UTF_8));
        if (errors != null) {
            entry(zip, "errors.csv", errorsCsv(errors).getBytes(StandardCharsets.UTF_8));
        }
        if (view != null) {
            entry(zip, "insights.json", mapper.writeValueAsBytes(view));
        }
        zip.finish();
        zip.flush();
    }

    /** One row per class: predictions per error type of the run's task, then precision and recall. */
    private static String errorsCsv(ErrorInsights errors) {
        List<String> header = new ArrayList<>();
        header.add("label");
        errors.types().forEach(t -> header.add(t.replace('-', '_')));
        header.addAll(List.of("predictions", "precision", "recall"));
        StringBuilder csv = new StringBuilder(csvRow(header.toArray(String[]::new)));
        for (ClassErrors c : errors.classes()) {
            List<String> row = new ArrayList<>();
            row.add(c.label());
            errors.types().forEach(t -> row.add(String.valueOf(c.counts().getOrDefault(t, 0))));
            row.addAll(List.of(String.valueOf(c.predictions()), number(c.precision()), number(c.recall())));
            csv.append(csvRow(row.toArray(String[]::new)));
        }
        return csv.toString();
    }

    /**
     * The evaluation of the prediction an explained target is: the first prediction with its label, score and
     * box. Null for a target with a role, or without an evaluation.
     */
    private static PredictionMatch matchOf(StoredResult result, Target target) {
        ImageResult image = result.result();
        if (target == null || target.role() != null || image.evaluation() == null || image.evaluation().matches() == null
                || image.predictions() == null) {
            return null;
        }
        for (PredictionMatch match : image.evaluation().matches()) {
            int i = match.prediction();
            if (i >= 0 && i < image.predictions().size()) {
                Target p = image.predictions().get(i);
                if (Objects.equals(p.label(), target.label()) && p.score() == target.score()
                        && Objects.equals(p.box(), target.box())) {
                    return match;
                }
            }
        }
        return null;
    }

    private static void entry(ZipOutputStream zip, String name, byte[] bytes) throws IOException {
        zip.putNextEntry(new ZipEntry(name));
        zip.write(bytes);
        zip.closeEntry();
    }

    private static String number(Double value) {
        return value == null ? "" : String.format(Locale.ROOT, "%.6f", value);
    }

    private static String csvRow(String... cells) {
        StringBuilder row = new StringBuilder();
        for (int i = 0; i < cells.length; i++) {
            String cell = cells[i] == null ? "" : cells[i];
            if (cell.contains(",") || cell.contains("\"") || cell.contains("\n")) {
                cell = "\"" + cell.replace("\"", "\"\"") + "\"";
            }
            row.append(i == 0 ? "" : ",").append(cell);
        }
        return row.append('\n').toString();
    }
}
