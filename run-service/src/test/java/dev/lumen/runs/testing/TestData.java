package dev.lumen.runs.testing;

import dev.lumen.contracts.CloudEvent;
import dev.lumen.contracts.EventCodec;
import dev.lumen.contracts.EventTypes;
import dev.lumen.contracts.RunProgress;
import dev.lumen.contracts.RunState;
import dev.lumen.contracts.Topics;
import dev.lumen.service.storage.ObjectStore;
import dev.lumen.testing.Tokens;
import dev.lumen.testing.TopicProbe;
import io.restassured.http.ContentType;
import org.eclipse.microprofile.config.ConfigProvider;


import javax.imageio.ImageIO;
import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.stream.Collectors;

/** Models, images, datasets and progress events for the run-service tests. */
public final class TestData {

    private TestData() {
    }

    /** A fresh tenant id, so that a test sees only its own runs and datasets. */
    public static String tenant() {
        return "t-" + UUID.randomUUID().toString().substring(0, 8);
    }

    /** A small real image in {@code format} (png, jpeg, bmp, gif). */
    public static byte[] image(String format, int width, int height) {
        BufferedImage image = new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = image.createGraphics();
        g.setColor(Color.DARK_GRAY);
        g.fillRect(0, 0, width, height);
        g.setColor(Color.RED);
        g.fillRect(width / 4, height / 4, width / 2, height / 2);
        g.dispose();
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try {
            ImageIO.write(image, format, out);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toByteArray();
    }

    /** Registers a model descriptor (no weights: run-service only reads the descriptor). */
    public static void model(ObjectStore store, String modelId, String task, String tenant) {
        String json = tenant == null ? "{\"task\":\"" + task + "\"}"
                : "{\"task\":\"" + task + "\",\"tenant\":\"" + tenant + "\"}";
        store.put("models/" + modelId + "/lumen-model.json", json.getBytes(StandardCharsets.UTF_8), "application/json");
    }

    /** Registers a model descriptor that lists the model's labels, in index order. */
    public static void model(ObjectStore store, String modelId, String task, String tenant, List<String> labels) {
        String json = "{\"task\":\"" + task + "\",\"tenant\":\"" + tenant + "\",\"labels\":["
                + labels.stream().map(label -> "\"" + label + "\"").collect(Collectors.joining(",")) + "]}";
        store.put("models/" + modelId + "/lumen-model.json", json.getBytes(StandardCharsets.UTF_8), "application/json");
    }

    /** A probe on the broker the running test application uses. */
    public static TopicProbe probe() {
        return new TopicProbe(ConfigProvider.getConfig().getValue("kafka.bootstrap.servers", String.class));
    }

    /** Uploads {@code count} PNG images as a dataset of {@code tenant} through the API; returns its id. */
    public static String dataset(String tenant, String name, int count) {
        var request = Tokens.as(tenant).contentType(ContentType.MULTIPART).multiPart("name", name);
        for (int i = 0; i < count; i++) {
            request = request.multiPart("files", "img-" + i + ".png", image("png", 32 + i, 24), "image/png");
        }
        return request.when().post("/api/datasets").then().statusCode(201).extract().path("datasetId");
    }

    /**
     * The end offsets of every Lumen topic once nothing has changed for two seconds (earlier tests may
     * still plan): what a test compares before and after requests that must publish nothing.
     */
    public static Map<String, Long> settledEndOffsets(TopicProbe probe) throws InterruptedException {
        Map<String, Long> previous = endOffsets(probe);
        while (true) {
            Thread.sleep(2000);
            Map<String, Long> now = endOffsets(probe);
            if (now.equals(previous)) {
                return now;
            }
            previous = now;
        }
    }

    private static Map<String, Long> endOffsets(TopicProbe probe) {
        Map<String, Long> offsets = new LinkedHashMap<>();
        for (Topics.TopicSpec topic : Topics.ALL) {
            offsets.put(topic.name(), probe.endOffsetSum(topic.name()));
        }
        return offsets;
    }

    /** Publishes a progress snapshot as results-service would. */
    public static void progress(TopicProbe probe, EventCodec codec, String runId, String tenant, RunState state, int total,
                                int explained, int skipped, int failed, Long eta) {
        Instant now = Instant.now();
        RunProgress progress = new RunProgress(runId, tenant, "n", "gradcam", null, null, state, total, explained, skipped,
                failed, 1.5, eta, Map.of(), Map.of(), now.minusSeconds(5), now, state.terminal() ? now : null);
        probe.publish(Topics.RUN_PROGRESS, runId,
                codec.encode(CloudEvent.of("/lumen/results-service", EventTypes.RUN_PROGRESS, runId, progress)));
    }
}
