package dev.lumen.explainer.detection;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import dev.lumen.catalogue.Task;
import dev.lumen.explainer.model.DetectionLayout;
import dev.lumen.explainer.model.FloatTensor;
import dev.lumen.explainer.model.InvalidDescriptorException;
import dev.lumen.explainer.model.ModelDescriptor;
import dev.lumen.explainer.model.ModelRunException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The declared layouts on hand-made outputs: the same two objects written as packed rows, YOLOv5,
 * YOLOv8 and DETR tensors must decode to the same boxes, labels and scores; contradictions between
 * the layout and the tensors are errors naming the field.
 */
class LayoutDecoderTest {

    private static final int WIDTH = 200;
    private static final int HEIGHT = 100;
    /** Two objects: label 1 at (20, 10)-(60, 50) scoring 0.9, label 0 at (100, 20)-(180, 90) scoring 0.6. */
    private static final double[][] BOXES = {{20, 10, 60, 50}, {100, 20, 180, 90}};
    private static final int[] LABELS = {1, 0};
    private static final double[] SCORES = {0.9, 0.6};

    @TempDir
    Path dir;

    @Test
    void packedRowsYolov5Yolov8AndDetrDecodeToTheSameDetections() throws Exception {
        float[] packed = new float[2 * 6];
        float[] yolov5 = new float[2 * 7];
        float[] yolov8 = new float[6 * 2];
        float[] detrBoxes = new float[2 * 4];
        float[] detrLogits = new float[2 * 3];
        for (int i = 0; i < 2; i++) {
            double[] b = BOXES[i];
            double cx = (b[0] + b[2]) / 2;
            double cy = (b[1] + b[3]) / 2;
            double w = b[2] - b[0];
            double h = b[3] - b[1];
            put(packed, i * 6, b[0], b[1], b[2], b[3], SCORES[i], LABELS[i]);
            double[] classes = new double[2];
            classes[LABELS[i]] = 1;
            put(yolov5, i * 7, cx, cy, w, h, SCORES[i], classes[0], classes[1]);
            double[] column = {cx, cy, w, h, SCORES[i] * classes[0], SCORES[i] * classes[1]};
            for (int c = 0; c < 6; c++) {
                yolov8[c * 2 + i] = (float) column[c];
            }
            put(detrBoxes, i * 4, cx / WIDTH, cy / HEIGHT, w / WIDTH, h / HEIGHT);
            // softmax([l0, l1, no-object]) with the label's probability SCORES[i] and the rest split.
            double rest = (1 - SCORES[i]) / 2;
            double[] p = {rest, rest, rest};
            p[LABELS[i]] = SCORES[i];
            put(detrLogits, i * 3, Math.log(p[0]), Math.log(p[1]), Math.log(p[2]));
        }
        List<Detection> fromPacked = decode("""
                {"preset": "packed"}""", Map.of("detections", tensor(packed, 1, 2, 6)));
        List<Detection> fromYolov5 = decode("""
                {"preset": "yolov5"}""", Map.of("detections", tensor(yolov5, 1, 2, 7)));
        List<Detection> fromYolov8 = decode("""
                {"preset": "yolov8"}""", Map.of("detections", tensor(yolov8, 1, 6, 2)));
        List<Detection> fromDetr = decode("""
                {"preset": "detr", "rows": ["boxes", "logits"]}""",
                Map.of("boxes", tensor(detrBoxes, 1, 2, 4), "logits", tensor(detrLogits, 1, 2, 3)));
        for (List<Detection> decoded : List.of(fromPacked, fromYolov5, fromYolov8, fromDetr)) {
            assertThat(decoded).hasSize(2);
            for (int i = 0; i < 2; i++) {
                assertThat(decoded.get(i).box()).containsExactly(BOXES[i], within(1e-3));
                assertThat(decoded.get(i).label()).isEqualTo(LABELS[i]);
                assertThat(decoded.get(i).score()).isCloseTo(SCORES[i], within(1e-5));
            }
        }
    }

    @Test
    void explicitFieldsOverrideAPresetAndOneBasedClassesShift() throws Exception {
        // y1, x1, y2, x2 normalised, then a 1-based class and the score: the Object Detection API's order as rows.
        float[] rows = new float[6];
        put(rows, 0, 0.1, 0.1, 0.5, 0.3, 2, 0.8);
        List<Detection> decoded = decode("""
                {"preset": "packed", "boxEncoding": "yxyx", "boxUnits": "normalised", "class": 4, "classBase": 1,
                 "score": 5}""", Map.of("detections", tensor(rows, 1, 1, 6)));
        assertThat(decoded.get(0).box()).containsExactly(new double[] {20, 10, 60, 50}, within(1e-4));
        assertThat(decoded.get(0).label()).isEqualTo(1);
        assertThat(decoded.get(0).classScores()).containsExactly(0f, 1f);
    }

    @Test
    void prototypeMasksAreTheSigmoidOfTheWeightedPrototypesInsideTheBox() throws Exception {
        int protoSide = 10;
        // Two prototypes: the first +10 on the left half, the second +10 on the right half (everything else -10).
        float[] nhwc = new float[protoSide * protoSide * 2];
        float[] nchw = new float[2 * protoSide * protoSide];
        for (int y = 0; y < protoSide; y++) {
            for (int x = 0; x < protoSide; x++) {
                float left = x < protoSide / 2 ? 10 : -10;
                nhwc[(y * protoSide + x) * 2] = left;
                nhwc[(y * protoSide + x) * 2 + 1] = -left;
                nchw[y * protoSide + x] = left;
                nchw[protoSide * protoSide + y * protoSide + x] = -left;
            }
        }
        // One proposal covering the whole input, weighing the first prototype only.
        float[] rows = new float[4 + 1 + 2 + 2];
        put(rows, 0, 100, 50, 200, 100, 0.9, 0.1, 0.9, 1, 0);
        for (float[] protos : List.of(nhwc, nchw)) {
            long[] shape = protos == nhwc ? new long[] {1, protoSide, protoSide, 2} : new long[] {1, 2, protoSide, protoSide};
            Detection d = decode(Task.INSTANCE_SEGMENTATION, """
                    {"preset": "yolov5", "rows": "detections", "prototypes": "protos"}""",
                    Map.of("detections", tensor(rows, 1, 1, 9), "protos", new FloatTensor(shape, protos))).get(0);
            assertThat(d.mask()).hasSize(WIDTH * HEIGHT);
            assertThat(d.mask()[10 * WIDTH + 20]).isGreaterThan(0.99f);
            assertThat(d.mask()[10 * WIDTH + 180]).isLessThan(0.01f);
            assertThat(d.label()).isEqualTo(1);
        }
    }

    @Test
    void boxRelativeMasksArePastedIntoTheirBox() throws Exception {
        float[] rows = new float[6];
        put(rows, 0, 20, 10, 60, 50, 0.9, 0);
        float[] masks = new float[4];
        java.util.Arrays.fill(masks, 1);
        Detection d = decode(Task.INSTANCE_SEGMENTATION, """
                {"preset": "packed", "rows": "detections", "masks": "masks"}""",
                Map.of("detections", tensor(rows, 1, 1, 6), "masks", tensor(masks, 1, 1, 2, 2))).get(0);
        assertThat(d.mask()[30 * WIDTH + 40]).isEqualTo(1f);
        assertThat(d.mask()[70 * WIDTH + 150]).isEqualTo(0f);
    }

    @Test
    void contradictionsWithTheTensorsNameTheField() throws Exception {
        float[] rows = new float[6];
        put(rows, 0, 20, 10, 60, 50, 0.9, 0);
        Map<String, FloatTensor> packed = Map.of("detections", tensor(rows, 1, 1, 6));
        assertThatThrownBy(() -> decode("""
                {"preset": "packed", "score": 6, "class": 7}""", packed))
                .isInstanceOf(InvalidDescriptorException.class).hasMessageContaining("detection.score needs column 6")
                .hasMessageContaining("6 columns");
        float[] unknownClass = new float[6];
        put(unknownClass, 0, 20, 10, 60, 50, 0.9, 7);
        assertThatThrownBy(() -> decode("""
                {"preset": "packed"}""", Map.of("detections", tensor(unknownClass, 1, 1, 6))))
                .isInstanceOf(ModelRunException.class).hasMessageContaining("detection.class (column 5) holds class 7")
                .hasMessageContaining("labels has 2 entries");
        assertThatThrownBy(() -> decode("""
                {"preset": "packed", "score": 0, "box": 1, "class": 5}""", packed))
                .isInstanceOf(ModelRunException.class).hasMessageContaining("detection.score (column 0) holds 20.0");
        assertThatThrownBy(() -> decode("""
                {"preset": "yolov5"}""", packed))
                .isInstanceOf(InvalidDescriptorException.class).hasMessageContaining("detection.classScores")
                .hasMessageContaining("1 class columns").hasMessageContaining("labels has 2");
        float[] many = new float[5 * 6];
        for (int i = 0; i < 5; i++) {
            put(many, i * 6, 100 + i, 50, 40, 30, 0.9, 0);
        }
        assertThat(decode("""
                {"preset": "packed", "boxEncoding": "cxcywh"}""", Map.of("detections", tensor(many, 1, 5, 6)))).hasSize(5);
        assertThatThrownBy(() -> decode("""
                {"preset": "packed"}""", Map.of("detections", tensor(many, 1, 5, 6))))
                .isInstanceOf(ModelRunException.class).hasMessageContaining("detection.boxEncoding 'xyxy'")
                .hasMessageContaining("5 of 5 proposals");
    }

    @Test
    void staticShapesAreCheckedWithoutRunningAndUnknownSizesPass() throws Exception {
        ModelDescriptor descriptor = descriptor(Task.DETECTION, """
                {"preset": "yolov5"}""");
        DetectionLayout layout = descriptor.detection();
        assertThat(dev.lumen.explainer.model.DetectionLayoutShapes.check(layout,
                Map.of("detections", new long[] {-1, 25200, 7}), 2).proposals()).isEqualTo(25200);
        assertThat(dev.lumen.explainer.model.DetectionLayoutShapes.check(layout,
                Map.of("detections", new long[] {-1, -1, -1}), 2).columns()).isEqualTo(-1);
        assertThatThrownBy(() -> dev.lumen.explainer.model.DetectionLayoutShapes.check(layout,
                Map.of("detections", new long[] {1, 25200, 85}), 2))
                .isInstanceOf(InvalidDescriptorException.class)
                .hasMessageContaining("detection.classScores: the rows hold 80 class columns")
                .hasMessageContaining("labels has 2 entries");
        assertThatThrownBy(() -> dev.lumen.explainer.model.DetectionLayoutShapes.check(layout,
                Map.of("detections", new long[] {1, 25200}), 2))
                .isInstanceOf(InvalidDescriptorException.class).hasMessageContaining("detection.box needs column 3");
    }

    @Test
    void contradictoryDescriptorsAreRefusedWhenRead() {
        assertRefused("""
                {"preset": "yolov9"}""", "detection.preset must be one of yolov5, yolov8, detr, packed");
        assertRefused("""
                {"preset": "packed", "rows": "nope"}""", "detection.rows names \"nope\", which is not an output role");
        assertRefused("""
                {"preset": "packed", "classScores": 6}""", "detection.class and classScores contradict");
        assertRefused("""
                {"preset": "packed", "score": 3}""", "detection.score (column 3) overlaps box (columns 0..3)");
        assertRefused("""
                {"preset": "packed", "colour": 3}""", "detection.colour is not a known field");
        assertRefused("""
                {"box": 0, "class": 5}""", "needs a score column");
        assertRefused("""
                {"preset": "packed", "masks": "detections"}""", "detection.masks needs task instance-segmentation");
        assertRefused("""
                {"preset": "detr", "objectness": 9}""", "detection.objectness contradicts activation 'softmax'");
    }

    private void assertRefused(String layout, String message) {
        assertThatThrownBy(() -> descriptor(Task.DETECTION, layout))
                .isInstanceOf(InvalidDescriptorException.class).hasMessageContaining(message);
    }

    private List<Detection> decode(String layout, Map<String, FloatTensor> outputs) throws Exception {
        return decode(Task.DETECTION, layout, outputs);
    }

    private List<Detection> decode(Task task, String layout, Map<String, FloatTensor> outputs) throws Exception {
        ModelDescriptor descriptor = descriptor(task, layout, outputs.keySet());
        assertThat(descriptor.decoder()).isEqualTo(DetectionLayout.DECODER);
        Proposals proposals = DetectionDecoders.forDescriptor(descriptor).decode(outputs, 2, WIDTH, HEIGHT, 0.01).get(0);
        return proposals.all().stream().toList();
    }

    private ModelDescriptor descriptor(Task task, String layout) throws Exception {
        return descriptor(task, layout, List.of("detections"));
    }

    private ModelDescriptor descriptor(Task task, String layout, java.util.Collection<String> roles) throws Exception {
        StringBuilder outputs = new StringBuilder();
        roles.stream().sorted().forEach(role -> outputs.append(outputs.isEmpty() ? "" : ", ")
                .append('"').append(role).append("\": \"").append(role).append('"'));
        String json = """
                {"task": "%s", "labels": ["cat", "dog"],
                 "input": {"width": %d, "height": %d},
                 "outputs": {%s},
                 "detection": %s}""".formatted(task.id(), WIDTH, HEIGHT, outputs, layout);
        Files.writeString(dir.resolve(ModelDescriptor.FILE_NAME), json, StandardCharsets.UTF_8);
        return ModelDescriptor.read(dir);
    }

    private static FloatTensor tensor(float[] data, long... shape) {
        return new FloatTensor(shape, data);
    }

    private static void put(float[] into, int offset, double... values) {
        for (int i = 0; i < values.length; i++) {
            into[offset + i] = (float) values[i];
        }
    }
}
