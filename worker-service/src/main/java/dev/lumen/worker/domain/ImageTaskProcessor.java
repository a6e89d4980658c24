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
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import org.jboss.logging.Logger;

import java.awt.image.BufferedImage;
import java.net.InetAddress;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

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
    /** Images of a poll fetched and decoded at once, one per processor. */
    private static final int DECODERS = Math.max(2, Runtime.getRuntime().availableProcessors());
    private final ExecutorService decoders = Executors.newFixedThreadPool(DECODERS, runnable -> {
        Thread thread = new Thread(runnable, "lumen-image-decoder");
        thread.setDaemon(true);
        return thread;
    });

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
            return cancelled(task);
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

    /**
     * The outcomes of tasks of one run, model, method and parameters (the consumer groups a poll's tasks
     * so), in their order. Images are fetched and decoded a few at a time (one per processor) and
     * explained together in batches of at most {@link WorkerConfig#batchMemoryMb()} of decoded pixels
     * (decision 0083); a batch that fails is explained image by image, so each image gets its own
     * outcome and reason.
     *
     * @param spans per task, the span its explanation is recorded in
     */
    public List<ImageResult> processAll(List<ImageTask> tasks, List<Span> spans) {
        ImageTask first = tasks.get(0);
        if (!tasks.stream().map(ImageTaskProcessor::batchKey).allMatch(batchKey(first)::equals)) {
            throw new IllegalArgumentException("one batch holds tasks of one run, model, method and parameters");
        }
        if (store.exists(RunCancelled.markerKey(first.runId()))) {
            return tasks.stream().map(this::cancelled).toList();
        }
        long started = System.nanoTime();
        ModelPool.Lease lease;
        try {
            lease = models.lease(first.model().id());
        } catch (ModelLoadException | MissingModelException e) {
            return tasks.stream().map(task -> failed(task, WorkerMetrics.MODEL_NOT_LOADED + e.getMessage(), null,
                    started)).toList();
        }
        try (lease) {
            ImageResult[] results = new ImageResult[tasks.size()];
            Batch batch = new Batch();
            long cap = config.batchMemoryMb() * 1024L * 1024L;
            for (int from = 0; from < tasks.size(); from += DECODERS) {
                List<Decoded> decoded = decodedAll(tasks.subList(from, Math.min(tasks.size(), from + DECODERS)));
                for (int k = 0; k < decoded.size(); k++) {
                    int i = from + k;
                    if (decoded.get(k).failure() != null) {
                        results[i] = decoded.get(k).failure();
                        continue;
                    }
                    BufferedImage image = decoded.get(k).image();
                    long bytes = 4L * image.getWidth() * image.getHeight();
                    if (!batch.positions.isEmpty() && batch.bytes + bytes > cap) {
                        explainBatch(batch, tasks, spans, lease.explainer(), results);
                        batch = new Batch();
                    }
                    batch.add(i, image, bytes);
                }
            }
            if (!batch.positions.isEmpty()) {
                explainBatch(batch, tasks, spans, lease.explainer(), results);
            }
            return Arrays.asList(results);
        }
    }

    /** What tasks explained together share: run, model, method and parameters. */
    public static List<Object> batchKey(ImageTask task) {
        return Arrays.asList(task.runId(), task.model(), task.method(), task.parameters());
    }

    /** Decoded images waiting to be explained together, by their task's position. */
    private static final class Batch {
        private final List<Integer> positions = new ArrayList<>();
        private final List<BufferedImage> images = new ArrayList<>();
        private long bytes;

        void add(int position, BufferedImage image, long imageBytes) {
            positions.add(position);
            images.add(image);
            bytes += imageBytes;
        }
    }

    private void explainBatch(Batch batch, List<ImageTask> tasks, List<Span> spans, Explainer explainer,
                              ImageResult[] results) {
        List<ImageTask> batched = batch.positions.stream().map(tasks::get).toList();
        List<ExplainResult> explained;
        try {
            explained = explainer.explainAll(batch.images, batched.stream().map(this::options).toList());
        } catch (RuntimeException e) {
            // One image's bad objects, or TensorFlow failing on the batch: alone, each image says whose it is.
            LOG.infof(e, "run %s: a batch of %d images failed; explaining them one by one", batched.get(0).runId(),
                    batched.size());
            for (int k = 0; k < batched.size(); k++) {
                results[batch.positions.get(k)] = explain(batched.get(k), batch.images.get(k), explainer,
                        System.nanoTime(), spans.get(batch.positions.get(k)));
            }
            return;
        }
        for (int k = 0; k < batched.size(); k++) {
            results[batch.positions.get(k)] = described(batched.get(k), batch.images.get(k), explained.get(k),
                    spans.get(batch.positions.get(k)));
        }
    }

    /**
     * A task's image, or the FAILED result saying why it has none.
     *
     * @param image the decoded image, or null
     * @param failure the result when the image is missing or not decodable, or null
     */
    private record Decoded(BufferedImage image, ImageResult failure) {
    }

    /**
     * The tasks' images, fetched and decoded at the same time (one per processor): fetching waits on
     * object storage and decoding uses one core, while the batch's forward run uses them all.
     */
    private List<Decoded> decodedAll(List<ImageTask> tasks) {
        long started = System.nanoTime();
        if (tasks.size() == 1) {
            return List.of(decoded(tasks.get(0), started));
        }
        List<CompletableFuture<Decoded>> decoding = tasks.stream()
                .map(task -> CompletableFuture.supplyAsync(() -> decoded(task, started), decoders)).toList();
        List<Decoded> decoded = new ArrayList<>(tasks.size());
        for (CompletableFuture<Decoded> image : decoding) {
            try {
                decoded.add(image.join());
            } catch (CompletionException e) {
                // Object storage down: the whole group is retried by the consumer, as for one task.
                throw e.getCause() instanceof RuntimeException cause ? cause : e;
            }
        }
        return decoded;
    }

    @PreDestroy
    void stopDecoders() {
        decoders.shutdownNow();
    }

    private Decoded decoded(ImageTask task, long started) {
        byte[] bytes = store.get(task.imageKey()).orElse(null);
        if (bytes == null) {
            return new Decoded(null, failed(task, WorkerMetrics.IMAGE_NOT_FOUND + task.imageKey(), null, started));
        }
        try {
            return new Decoded(Images.decode(bytes), null);
        } catch (ImageDecodeException e) {
            return new Decoded(null, failed(task, WorkerMetrics.IMAGE_NOT_DECODED + e.getMessage(), null, started));
        }
    }

    private ExplainOptions options(ImageTask task) {
        return new ExplainOptions(task.method(), task.seed(), task.parameters(), objects(task.objects()))
                .withPreviews(new ImagePreviews(task, workerId, previews, config.previewInterval(), Clock.systemUTC()));
    }

    private ImageResult cancelled(ImageTask task) {
        return ImageResult.forTask(task).outcome(Outcome.SKIPPED).reason(RunCancelled.SKIP_REASON)
                .timing(new Timing(0, 0)).worker(workerId).build();
    }

    private ImageResult explain(ImageTask task, Explainer explainer, long started) {
        Decoded decoded = decoded(task, started);
        return decoded.failure() != null ? decoded.failure()
                : explain(task, decoded.image(), explainer, started, Span.current());
    }

    private ImageResult explain(ImageTask task, BufferedImage image, Explainer explainer, long started, Span span) {
        ExplainResult result;
        try {
            result = explainer.explain(image, options(task));
        } catch (IllegalArgumentException e) {
            return failed(task, WorkerMetrics.CANNOT_EXPLAIN + e.getMessage(), image, started);
        } catch (RuntimeException e) {
            LOG.errorf(e, "run %s image %s: explanation failed", task.runId(), task.imageId());
            return failed(task, WorkerMetrics.EXPLANATION_FAILED + e.getMessage(), image, started);
        }
        return described(task, image, result, span);
    }

    /** The result event of an explained image. */
    private ImageResult described(ImageTask task, BufferedImage image, ExplainResult result, Span span) {
        metrics.sampled(task.method(), task.model().id(), result);
        span.setAttribute(EventTracing.Attributes.MASKS_USED, result.masksUsed());
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
