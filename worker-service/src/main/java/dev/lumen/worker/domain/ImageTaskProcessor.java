package dev.lumen.worker.domain;

import dev.lumen.contracts.ContextScores;
import dev.lumen.contracts.EncodedSaliencyMap;
import dev.lumen.contracts.MapGrid;
import dev.lumen.contracts.Evaluation;
import dev.lumen.contracts.Explanation;
import dev.lumen.contracts.ImageResult;
import dev.lumen.contracts.ImageTask;
import dev.lumen.contracts.Metrics;
import dev.lumen.contracts.MissedObject;
import dev.lumen.contracts.ObjectBox;
import dev.lumen.contracts.Outcome;
import dev.lumen.contracts.PredictionMatch;
import dev.lumen.contracts.RunCancelled;
import dev.lumen.contracts.Target;
import dev.lumen.contracts.Timing;
import dev.lumen.explainer.ExplainOptions;
import dev.lumen.explainer.ExplainResult;
import dev.lumen.explainer.Explainer;
import dev.lumen.explainer.ImageDecodeException;
import dev.lumen.explainer.ImageObject;
import dev.lumen.explainer.Images;
import dev.lumen.explainer.Prediction;
import dev.lumen.explainer.TargetExplanation;
import dev.lumen.explainer.metric.ContextTest;
import dev.lumen.explainer.model.ModelLoadException;
import dev.lumen.render.SaliencyMap;
import dev.lumen.render.SaliencyPng;
import dev.lumen.service.storage.ObjectStore;
import dev.lumen.service.tracing.EventTracing;
import io.opentelemetry.api.trace.Span;
import dev.lumen.worker.config.WorkerConfig;
import dev.lumen.worker.storage.MissingModelException;
import jakarta.enterprise.context.ApplicationScoped;
import org.jboss.logging.Logger;

import java.awt.image.BufferedImage;
import java.net.InetAddress;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;

/**
 * Explains one image task with the explainer core and describes the outcome as an image result. Every
 * failure that concerns the image or the model becomes a FAILED result with a reason the user sees;
 * only infrastructure failures (object storage down) propagate, so the task is retried.
 */
@ApplicationScoped
public class ImageTaskProcessor {

    private static final Logger LOG = Logger.getLogger(ImageTaskProcessor.class);

    private final ModelPool models;
    private final ObjectStore store;
    private final WorkerConfig config;
    private final PreviewSink previews;
    private final WorkerMetrics metrics;
    private final String workerId;

    public ImageTaskProcessor(ModelPool models, ObjectStore store, WorkerConfig config, PreviewSink previews,
                              WorkerMetrics metrics) {
        this.models = models;
        this.store = store;
        this.config = config;
        this.previews = previews;
        this.metrics = metrics;
        this.workerId = config.id().orElseGet(ImageTaskProcessor::hostName);
    }

    /** The outcome of {@code task}; SKIPPED without any work when its run was cancelled. */
    public ImageResult process(ImageTask task) {
        // One existence check per task: cheap next to an explanation, and it stops a cancelled run's
        // remaining tasks within one task per worker.
        if (store.exists(RunCancelled.markerKey(task.runId()))) {
            return ImageResult.forTask(task).outcome(Outcome.SKIPPED).reason(RunCancelled.SKIP_REASON)
                    .timing(new Timing(0, 0)).worker(workerId).build();
        }
        long started = System.nanoTime();
        ModelPool.Lease lease;
        try {
            lease = models.lease(task.model().id());
        } catch (ModelLoadException | MissingModelException e) {
            return failed(task, WorkerMetrics.MODEL_NOT_LOADED + e.getMessage(), null, started);
        }
        try (lease) {
            return explain(task, lease.explainer(), started);
        }
    }

    private ImageResult explain(ImageTask task, Explainer explainer, long started) {
        byte[] bytes = store.get(task.imageKey()).orElse(null);
        if (bytes == null) {
            return failed(task, WorkerMetrics.IMAGE_NOT_FOUND + task.imageKey(), null, started);
        }
        BufferedImage image;
        try {
            image = Images.decode(bytes);
        } catch (ImageDecodeException e) {
            return failed(task, WorkerMetrics.IMAGE_NOT_DECODED + e.getMessage(), null, started);
        }
        ExplainResult result;
        try {
            result = explainer.explain(image, new ExplainOptions(task.method(), task.seed(), task.parameters(),
                    objects(task.objects())).withPreviews(new ImagePreviews(task, workerId, previews,
                    config.previewInterval(), Clock.systemUTC())));
        } catch (IllegalArgumentException e) {
            return failed(task, WorkerMetrics.CANNOT_EXPLAIN + e.getMessage(), image, started);
        } catch (RuntimeException e) {
            LOG.errorf(e, "run %s image %s: explanation failed", task.runId(), task.imageId());
            return failed(task, WorkerMetrics.EXPLANATION_FAILED + e.getMessage(), image, started);
        }
        metrics.sampled(task.method(), task.model().id(), result);
        Span.current().setAttribute(EventTracing.Attributes.MASKS_USED, result.masksUsed());
        List<Target> predictions = result.predictions().stream().map(p -> target(p, null)).toList();
        Evaluation evaluation = evaluation(result.evaluation());
        Timing timing = new Timing(result.explainMs(), result.forwardPasses());
        if (result.skippedReason() != null || result.explanations().isEmpty()) {
            String reason = result.skippedReason() != null ? result.skippedReason() : "nothing to explain";
            return ImageResult.forTask(task).outcome(Outcome.SKIPPED).reason(reason)
                    .size(image.getWidth(), image.getHeight()).targetLayer(result.targetLayer())
                    .predictions(predictions).evaluation(evaluation).timing(timing).worker(workerId).build();
        }
        List<Explanation> explanations = result.explanations().stream().map(this::explanation).toList();
        LOG.infof("run %s image %s: explained %d target(s) in %d ms", task.runId(), task.imageId(),
                explanations.size(), result.explainMs());
        return ImageResult.forTask(task).outcome(Outcome.EXPLAINED).size(image.getWidth(), image.getHeight())
                .targetLayer(result.targetLayer()).predictions(predictions).explanations(explanations)
                .evaluation(evaluation).timing(timing).worker(workerId).build();
    }

    /** {@code task} reported FAILED with {@code reason}, without any work (its handling was given up). */
    public ImageResult failed(ImageTask task, String reason) {
        return failed(task, reason, null, System.nanoTime());
    }

    /** The task's objects for the explainer; a bad box is named by its position in the list. */
    private static List<ImageObject> objects(List<ObjectBox> boxes) {
        if (boxes == null) {
            return List.of();
        }
        List<ImageObject> objects = new ArrayList<>(boxes.size());
        for (int i = 0; i < boxes.size(); i++) {
            ObjectBox box = boxes.get(i);
            try {
                objects.add(new ImageObject(box.box().stream().mapToDouble(Double::doubleValue).toArray(), box.label()));
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("objects[" + i + "]: " + e.getMessage(), e);
            }
        }
        return objects;
    }

    private Explanation explanation(TargetExplanation explained) {
        SaliencyMap map = compact(explained.saliency());
        dev.lumen.explainer.MapGrid grid = explained.grid();
        var saliency = new EncodedSaliencyMap(map.width(), map.height(), EncodedSaliencyMap.PNG16_BASE64,
                Base64.getEncoder().encodeToString(SaliencyPng.encode16(map)), grid == null ? null
                        : new MapGrid(grid.x(), grid.y(), grid.cellWidth(), grid.cellHeight()));
        ContextTest.ContextScores context = explained.context();
        return new Explanation(target(explained.target(), explained.role()), saliency, new Metrics(explained.deletionAuc(),
                explained.insertionAuc(), context == null ? null
                        : new ContextScores(context.reference(), context.contextRemovedScore(), context.objectRemovedScore())));
    }

    /** Maps travel in events, so they are cut to a bounded size; consumers resize to the image. */
    private SaliencyMap compact(SaliencyMap map) {
        int longest = Math.max(map.width(), map.height());
        if (longest <= config.mapMaxSide()) {
            return map;
        }
        double scale = (double) config.mapMaxSide() / longest;
        return map.resize(Math.max(1, (int) Math.round(map.width() * scale)),
                Math.max(1, (int) Math.round(map.height() * scale)));
    }

    /** A prediction, or with {@code role} an error target (the explainer's roles are the contract's). */
    private static Target target(Prediction p, String role) {
        return new Target(p.kind(), p.label(), p.index(), p.score(), box(p.box()), role, p.group());
    }

    /** The explainer's matching of the predictions against the ground truth; null when it made none. */
    private static Evaluation evaluation(dev.lumen.explainer.evaluation.Evaluation evaluation) {
        if (evaluation == null) {
            return null;
        }
        return new Evaluation(evaluation.matches().stream()
                .map(m -> new PredictionMatch(m.prediction(), m.type().id(), m.trueLabel(), m.iou())).toList(),
                evaluation.missed().stream().map(m -> new MissedObject(m.label(), m.index(), box(m.box()))).toList());
    }

    private static List<Double> box(double[] box) {
        return box == null ? null : Arrays.stream(box).boxed().toList();
    }

    private ImageResult failed(ImageTask task, String reason, BufferedImage image, long startedNanos) {
        LOG.warnf("run %s image %s: failed: %s", task.runId(), task.imageId(), reason);
        long ms = (System.nanoTime() - startedNanos) / 1_000_000;
        return ImageResult.forTask(task).outcome(Outcome.FAILED).reason(reason)
                .size(image == null ? null : image.getWidth(), image == null ? null : image.getHeight())
                .timing(new Timing(ms, 0)).worker(workerId).build();
    }

    private static String hostName() {
        try {
            return InetAddress.getLocalHost().getHostName();
        } catch (Exception e) {
            return "worker";
        }
    }
}
