package dev.lumen.results;

import dev.lumen.contracts.CloudEvent;
import dev.lumen.contracts.DatasetRef;
import dev.lumen.contracts.EventCodec;
import dev.lumen.contracts.EventTypes;
import dev.lumen.contracts.Explanation;
import dev.lumen.contracts.ImageResult;
import dev.lumen.contracts.Metrics;
import dev.lumen.contracts.ModelRef;
import dev.lumen.contracts.Outcome;
import dev.lumen.contracts.RunProgress;
import dev.lumen.contracts.RunRequested;
import dev.lumen.contracts.EncodedSaliencyMap;
import dev.lumen.contracts.Target;
import dev.lumen.contracts.Timing;
import dev.lumen.contracts.Topics;
import dev.lumen.render.SaliencyPng;
import dev.lumen.service.storage.ObjectStore;
import dev.lumen.testing.Tokens;
import dev.lumen.testing.TopicProbe;
import org.apache.kafka.clients.consumer.ConsumerRecord;

import javax.imageio.ImageIO;
import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.Predicate;

/**
 * Builds and publishes the events of one test run through the real broker, with its original images in
 * the real S3 server, the way run-service and the workers would.
 */
public final class TestRuns {

    public static final int WIDTH = 120;
    public static final int HEIGHT = 80;
    /** The tenant of runs made without one; tests call the API with {@code Tokens.as(TENANT)}. */
    public static final String TENANT = "default";

    private final EventCodec codec;
    private final TopicProbe probe;
    private final ObjectStore store;
    public final String runId;
    public final String tenant;
    public final String datasetId;
    public final int total;

    /** A run of {@link #TENANT}. */
    public TestRuns(EventCodec codec, TopicProbe probe, ObjectStore store, int total) {
        this(codec, probe, store, total, TENANT);
    }

    /** A run of {@code tenant}. */
    public TestRuns(EventCodec codec, TopicProbe probe, ObjectStore store, int total, String tenant) {
        this(codec, probe, store, total, tenant, "ds-" + UUID.randomUUID());
    }

    private TestRuns(EventCodec codec, TopicProbe probe, ObjectStore store, int total, String tenant, String datasetId) {
        this.codec = codec;
        this.probe = probe;
        this.store = store;
        this.runId = "run-" + UUID.randomUUID();
        this.tenant = tenant;
        this.datasetId = datasetId;
        this.total = total;
    }

    /** Another run of {@code tenant} sampled like this one: same dataset, seed and image count. */
    public TestRuns sameSample(String tenant) {
        return new TestRuns(codec, probe, store, total, tenant, datasetId);
    }

    /** Publishes the run's request (a Grad-CAM run). */
    public TestRuns requested() {
        return requested("gradcam");
    }

    /** Publishes the run's request for {@code method}. */
    public TestRuns requested(String method) {
        RunRequested request = new RunRequested(runId, tenant, "test run", method, new ModelRef("m"),
                new DatasetRef(datasetId), total, 1L, null, Map.of());
        probe.publish(Topics.RUN_REQUESTS, runId, codec.encode(CloudEvent.of("/test", EventTypes.RUN_REQUESTED, runId, request)));
        return this;
    }

    /**
     * Waits until results-service has recorded the run's request. The request and the results travel on
     * different topics, so a test that reads insights mid-run (which need the request's dataset) waits
     * for it before publishing results.
     */
    public TestRuns awaitRecorded() {
        Instant deadline = Instant.now().plusSeconds(30);
        while (store.get(dev.lumen.results.storage.ResultLayout.runRecord(runId)).isEmpty()) {
            if (Instant.now().isAfter(deadline)) {
                throw new AssertionError("results-service did not record the request of run " + runId);
            }
            try {
                Thread.sleep(50);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError("interrupted");
            }
        }
        return this;
    }

    /** Stores an original image for {@code imageId}. */
    public String original(String imageId) {
        String key = "datasets/" + datasetId + "/images/" + imageId;
        store.put(key, png(photo()), "image/png");
        return key;
    }

    /** Publishes a result. */
    public void publish(ImageResult result) {
        probe.publish(Topics.IMAGE_RESULTS, result.runId(),
                codec.encode(CloudEvent.of("/test", EventTypes.IMAGE_RESULT, result.runId(), result)));
    }

    /** An explained result with one map per target; stores the original first. */
    public ImageResult explained(String imageId, Target... targets) {
        List<Explanation> explanations = new ArrayList<>();
        for (Target target : targets) {
            double deletion = target.score() / 4;
            double insertion = Math.min(1, target.score() + 0.05);
            explanations.add(new Explanation(target, map(), new Metrics(deletion, insertion)));
        }
        return result(imageId).outcome(Outcome.EXPLAINED).targetLayer("conv3").predictions(List.of(targets))
                .explanations(explanations).timing(new Timing(12, 35)).build();
    }

    /** An explained result with given metrics for a single target. */
    public ImageResult explained(String imageId, Target target, Metrics metrics) {
        return result(imageId).outcome(Outcome.EXPLAINED).targetLayer("conv3").predictions(List.of(target))
                .explanations(List.of(new Explanation(target, map(), metrics))).timing(new Timing(12, 35)).build();
    }

    /** An explained result for a single target with the given map. */
    public ImageResult explained(String imageId, Target target, dev.lumen.render.SaliencyMap map) {
        String data = Base64.getEncoder().encodeToString(SaliencyPng.encode16(map));
        Explanation explanation = new Explanation(target,
                new EncodedSaliencyMap(map.width(), map.height(), EncodedSaliencyMap.PNG16_BASE64, data), new Metrics(0.2, 0.8));
        return result(imageId).outcome(Outcome.EXPLAINED).targetLayer("conv3").predictions(List.of(target))
                .explanations(List.of(explanation)).timing(new Timing(12, 35)).build();
    }

    /** A skipped or failed result. */
    public ImageResult notExplained(String imageId, Outcome outcome, String reason) {
        return result(imageId).outcome(outcome).reason(reason).predictions(List.of()).timing(new Timing(5, 1)).build();
    }

    /** What every result of this run shares; stores the original first. */
    private ImageResult.Builder result(String imageId) {
        return ImageResult.builder().runId(runId).tenant(tenant).imageId(imageId).imageKey(original(imageId))
                .imageTotal(total).size(WIDTH, HEIGHT).method("gradcam").model(new ModelRef("m")).worker("test-worker");
    }

    /** A class target. */
    public static Target cls(String label, double score) {
        return new Target("class", label, 0, score, null);
    }

    /** A detection target with a box. */
    public static Target detection(String label, double score, double x1, double y1, double x2, double y2) {
        return new Target("detection", label, 1, score, List.of(x1, y1, x2, y2));
    }

    /** Polls {@code GET /api/runs/{id}/progress} until {@code done} accepts it. */
    public RunProgress awaitProgress(Predicate<RunProgress> done, Duration timeout) {
        Instant deadline = Instant.now().plus(timeout);
        RunProgress last = null;
        while (Instant.now().isBefore(deadline)) {
            var response = Tokens.as(tenant).get("/api/runs/" + runId + "/progress");
            if (response.statusCode() == 200) {
                try {
                    last = codec.mapper().readValue(response.asString(), RunProgress.class);
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
                if (done.test(last)) {
                    return last;
                }
            }
            sleep(200);
        }
        throw new AssertionError("run " + runId + " did not reach the expected progress within " + timeout + "; last: " + last);
    }

    /** The run's progress records on the topic, each decoded (and so validated against its schema). */
    public List<RunProgress> progressRecords() {
        List<RunProgress> progress = new ArrayList<>();
        for (ConsumerRecord<String, byte[]> record : probe.readAll(Topics.RUN_PROGRESS)) {
            if (runId.equals(record.key())) {
                progress.add(codec.decode(record.value(), EventTypes.RUN_PROGRESS, RunProgress.class).data());
            }
        }
        return progress;
    }

    /** Reads the run's progress records until {@code done} accepts them. */
    public List<RunProgress> awaitProgressRecords(Predicate<List<RunProgress>> done) {
        Instant deadline = Instant.now().plusSeconds(30);
        List<RunProgress> records = progressRecords();
        while (!done.test(records)) {
            if (Instant.now().isAfter(deadline)) {
                throw new AssertionError("progress records of " + runId + " not as expected: " + records);
            }
            sleep(300);
            records = progressRecords();
        }
        return records;
    }

    private static EncodedSaliencyMap map() {
        float[] values = new float[30 * 20];
        values[10 * 30 + 15] = 1f;
        values[10 * 30 + 16] = 0.5f;
        String data = Base64.getEncoder().encodeToString(SaliencyPng.encode16(new dev.lumen.render.SaliencyMap(values, 30, 20)));
        return new EncodedSaliencyMap(30, 20, EncodedSaliencyMap.PNG16_BASE64, data);
    }

    private static BufferedImage photo() {
        BufferedImage image = new BufferedImage(WIDTH, HEIGHT, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = image.createGraphics();
        g.setColor(Color.DARK_GRAY);
        g.fillRect(0, 0, WIDTH, HEIGHT);
        g.setColor(Color.RED);
        g.fillRect(50, 30, 20, 20);
        g.dispose();
        return image;
    }

    private static byte[] png(BufferedImage image) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try {
            ImageIO.write(image, "png", out);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toByteArray();
    }

    static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
