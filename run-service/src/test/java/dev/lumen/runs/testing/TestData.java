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
import org.tensorflow.proto.GraphDef;
import org.tensorflow.proto.MetaGraphDef;
import org.tensorflow.proto.NodeDef;
import org.tensorflow.proto.SavedModel;
import org.tensorflow.proto.SignatureDef;
import org.tensorflow.proto.TensorInfo;


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
        return encode(image, format);
    }

    /** {@code image} encoded as {@code format} by ImageIO. */
    public static byte[] encode(BufferedImage image, String format) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try {
            ImageIO.write(image, format, out);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toByteArray();
    }

    /** A PNG cut short inside its pixel data (no IEND). */
    public static byte[] truncatedPng() {
        byte[] png = image("png", 64, 48);
        return java.util.Arrays.copyOf(png, png.length - 20);
    }

    /** A PNG whose pixel data has one byte changed, so that its IDAT chunk's CRC no longer matches. */
    public static byte[] badCrcPng() {
        byte[] png = image("png", 64, 48);
        png[indexOf(png, "IDAT") + 6] ^= 0x55;
        return png;
    }

    /**
     * A PNG whose IHDR declares {@code bitDepth} and {@code colourType} (CRC fixed, so only the values
     * are wrong): e.g. colour type 5, which the PNG specification does not define.
     */
    public static byte[] pngWithHeader(int bitDepth, int colourType) {
        byte[] png = image("png", 64, 48);
        int ihdr = indexOf(png, "IHDR");
        png[ihdr + 4 + 8] = (byte) bitDepth;
        png[ihdr + 4 + 9] = (byte) colourType;
        java.util.zip.CRC32 crc = new java.util.zip.CRC32();
        crc.update(png, ihdr, 4 + 13);
        java.nio.ByteBuffer.wrap(png, ihdr + 4 + 13, 4).putInt((int) crc.getValue());
        return png;
    }

    /** A JPEG missing its last 40 bytes (ImageIO would fill the rest with grey and only warn). */
    public static byte[] truncatedJpeg() {
        byte[] jpeg = image("jpeg", 64, 48);
        return java.util.Arrays.copyOf(jpeg, jpeg.length - 40);
    }

    private static int indexOf(byte[] bytes, String chunk) {
        byte[] name = chunk.getBytes(StandardCharsets.US_ASCII);
        for (int i = 0; i + name.length <= bytes.length; i++) {
            if (java.util.Arrays.equals(bytes, i, i + name.length, name, 0, name.length)) {
                return i;
            }
        }
        throw new IllegalArgumentException("no " + chunk + " chunk");
    }

    /**
     * A real {@code saved_model.pb} (a protocol buffer, no weights): nodes {@code image}, {@code relu4},
     * {@code scores} and {@code logits} under signature {@code serving_default}, plus one node per
     * {@code extra} pair (name, operation type), e.g. {@code "steal", "ReadFile"}.
     */
    /**
     * A detector's {@code saved_model.pb} (no weights): signature output {@code detections} of the
     * given static shape, as a post-processed export declares it.
     */
    public static byte[] detectorSavedModelPb(long... detectionsShape) {
        org.tensorflow.proto.TensorShapeProto.Builder shape = org.tensorflow.proto.TensorShapeProto.newBuilder();
        for (long d : detectionsShape) {
            shape.addDim(org.tensorflow.proto.TensorShapeProto.Dim.newBuilder().setSize(d));
        }
        GraphDef.Builder graph = GraphDef.newBuilder()
                .addNode(NodeDef.newBuilder().setName("image").setOp("Placeholder"))
                .addNode(NodeDef.newBuilder().setName("features").setOp("Relu").addInput("image"))
                .addNode(NodeDef.newBuilder().setName("detections").setOp("Identity").addInput("features"));
        SignatureDef signature = SignatureDef.newBuilder()
                .putInputs("image", TensorInfo.newBuilder().setName("image:0").build())
                .putOutputs("detections", TensorInfo.newBuilder().setName("detections:0").setTensorShape(shape).build())
                .build();
        MetaGraphDef meta = MetaGraphDef.newBuilder()
                .setMetaInfoDef(MetaGraphDef.MetaInfoDef.newBuilder().addTags("serve"))
                .setGraphDef(graph).putSignatureDef("serving_default", signature).build();
        return SavedModel.newBuilder().setSavedModelSchemaVersion(1).addMetaGraphs(meta).build().toByteArray();
    }

    public static byte[] savedModelPb(String... extra) {
        GraphDef.Builder graph = GraphDef.newBuilder()
                .addNode(NodeDef.newBuilder().setName("image").setOp("Placeholder"))
                .addNode(NodeDef.newBuilder().setName("relu4").setOp("Relu").addInput("image"))
                .addNode(NodeDef.newBuilder().setName("logits").setOp("MatMul").addInput("relu4"))
                .addNode(NodeDef.newBuilder().setName("scores").setOp("Softmax").addInput("logits"));
        for (int i = 0; i + 1 < extra.length; i += 2) {
            graph.addNode(NodeDef.newBuilder().setName(extra[i]).setOp(extra[i + 1]));
        }
        SignatureDef signature = SignatureDef.newBuilder()
                .putInputs("image", TensorInfo.newBuilder().setName("image:0").build())
                .putOutputs("scores", TensorInfo.newBuilder().setName("scores:0").build())
                .putOutputs("logits", TensorInfo.newBuilder().setName("logits:0").build()).build();
        MetaGraphDef meta = MetaGraphDef.newBuilder()
                .setMetaInfoDef(MetaGraphDef.MetaInfoDef.newBuilder().addTags("serve"))
                .setGraphDef(graph).putSignatureDef("serving_default", signature).build();
        return SavedModel.newBuilder().setSavedModelSchemaVersion(1).addMetaGraphs(meta).build().toByteArray();
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
        return probe.settledEndOffsets(Topics.ALL.stream().map(Topics.TopicSpec::name).toList());
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
