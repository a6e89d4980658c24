package dev.lumen.tfjs;

import static org.assertj.core.api.Assertions.assertThat;

import dev.lumen.catalogue.Task;
import dev.lumen.explainer.model.DetectionLayout;
import dev.lumen.explainer.model.DetectionLayout.Activation;
import dev.lumen.explainer.model.DetectionLayout.Background;
import dev.lumen.explainer.model.DetectionLayout.BoxEncoding;
import dev.lumen.explainer.model.DetectionLayout.BoxUnits;
import dev.lumen.explainer.model.DetectionLayoutFormat.Preset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** Detection layouts drafted from output shapes (and names), each guess reported. */
class DetectionDraftTest {

    private final List<String> checks = new ArrayList<>();

    private DetectionDraft.Drafted draft(Integer labels, Task task, int size, Set<String> sigmoid,
            DetectionDraft.Output... outputs) {
        return DetectionDraft.draft(List.of(outputs), labels, task, size, size, sigmoid::contains, checks);
    }

    private static DetectionDraft.Output output(String key, long... shape) {
        return new DetectionDraft.Output(key, key, shape);
    }

    @Test
    void objectDetectionApiOutputsAreRecognisedByName() {
        DetectionDraft.Drafted drafted = draft(90, Task.DETECTION, 640, Set.of(),
                output("detection_boxes", 1, 100, 4), output("detection_scores", 1, 100),
                output("detection_classes", 1, 100), output("num_detections", 1),
                output("raw_detection_boxes", 1, 1917, 4));
        assertThat(drafted.decoder()).isEqualTo("object-detection-api");
        assertThat(drafted.layout()).isNull();
        assertThat(drafted.outputs()).containsOnlyKeys("detection_boxes", "detection_scores", "detection_classes",
                "num_detections");
        assertThat(checks).singleElement().asString().startsWith("decoder: object-detection-api");
    }

    @Test
    void centerNetsPackedRowsBecomeThePackedPresetWithEveryFieldWritten() {
        DetectionDraft.Drafted drafted = draft(80, Task.DETECTION, 512, Set.of(),
                output("tower_0/wh", 1, 128, 128, 4), output("tower_0/keypoints", 1, 128, 128, 80),
                output("tower_0/detections", 1, 100, 6));

        assertThat(drafted.outputs()).containsExactly(Map.entry("detections", "tower_0/detections"));
        assertThat(drafted.decoder()).isNull();
        assertThat(drafted.layout()).isEqualTo(new DetectionLayout(List.of("detections"), false, 0, BoxEncoding.XYXY,
                BoxUnits.PIXELS, 4, null, 5, 0, null, Activation.NONE, Background.NONE, null, null, null));
        assertThat(Preset.PACKED.id()).isEqualTo("packed");
        assertThat(checks).singleElement().asString().startsWith("detection: packed rows from the shape of"
                + " tower_0/detections [1, 100, 6] (preset packed)");
    }

    @Test
    void packedRowsWithoutLabelsAskForThem() {
        DetectionDraft.Drafted drafted = draft(null, Task.DETECTION, 320, Set.of(), output("Identity", 1, 300, 6));

        assertThat(drafted.labels()).isNull();
        assertThat(checks).anySatisfy(c -> assertThat(c).startsWith("labels: packed rows hold a class index"));
    }

    @Test
    void yoloV5RowsCarryObjectnessAndTheClassCountFromTheShape() {
        DetectionDraft.Drafted drafted = draft(null, Task.DETECTION, 640, Set.of(), output("output0", 1, 25200, 85));

        assertThat(drafted.outputs()).containsExactly(Map.entry("predictions", "output0"));
        assertThat(drafted.labels()).isEqualTo(80);
        assertThat(drafted.layout()).isEqualTo(new DetectionLayout(List.of("predictions"), false, 0, BoxEncoding.CXCYWH,
                BoxUnits.PIXELS, null, 4, null, 0, 5, Activation.NONE, Background.NONE, null, null, null));
        assertThat(checks).singleElement().asString().contains("(preset yolov5)");
    }

    @Test
    void yoloV8IsTransposedWithoutObjectness() {
        DetectionDraft.Drafted drafted = draft(80, Task.DETECTION, 640, Set.of(), output("output0", 1, 84, 8400));

        assertThat(drafted.layout()).isEqualTo(new DetectionLayout(List.of("predictions"), true, 0, BoxEncoding.CXCYWH,
                BoxUnits.PIXELS, null, null, null, 0, 4, Activation.NONE, Background.NONE, null, null, null));
        assertThat(drafted.labels()).isEqualTo(80);
        assertThat(checks).singleElement().asString().contains("(preset yolov8)");
    }

    @Test
    void detrIsRecognisedByItsOutputNames() {
        DetectionDraft.Drafted drafted = draft(null, Task.DETECTION, 800, Set.of(),
                output("pred_logits", 1, 100, 92), output("pred_boxes", 1, 100, 4));

        assertThat(drafted.outputs()).containsExactly(Map.entry("boxes", "pred_boxes"), Map.entry("logits", "pred_logits"));
        assertThat(drafted.labels()).isEqualTo(91);
        assertThat(drafted.layout()).isEqualTo(new DetectionLayout(List.of("boxes", "logits"), false, 0,
                BoxEncoding.CXCYWH, BoxUnits.NORMALISED, null, null, null, 0, 4, Activation.SOFTMAX, Background.LAST,
                null, null, null));
        assertThat(checks).singleElement().asString().contains("(preset detr)");
    }

    @Test
    void nanoDetStridesAreFoundFromThePointCountsOfTheInputSize() {
        DetectionDraft.Drafted drafted = draft(80, Task.DETECTION, 416, Set.of(),
                output("Identity", 1, 2704, 80), output("Identity_1", 1, 676, 80), output("Identity_2", 1, 169, 80),
                output("Identity_3", 1, 2704, 44), output("Identity_4", 1, 676, 44), output("Identity_5", 1, 169, 44));

        assertThat(drafted.decoder()).isEqualTo("nanodet");
        assertThat(drafted.layout()).isNull();
        assertThat(drafted.outputs()).containsOnly(Map.entry("scores_stride8", "Identity"),
                Map.entry("boxes_stride8", "Identity_3"), Map.entry("scores_stride16", "Identity_1"),
                Map.entry("boxes_stride16", "Identity_4"), Map.entry("scores_stride32", "Identity_2"),
                Map.entry("boxes_stride32", "Identity_5"));
        assertThat(checks).singleElement().asString().startsWith("decoder: nanodet, from 3 strides [8, 16, 32]");
    }

    @Test
    void nanoDetScoresAreTheSigmoidOutputsWhenLabelsAreNotGiven() {
        DetectionDraft.Drafted drafted = draft(null, Task.DETECTION, 320, Set.of("b8", "b16"),
                output("a8", 1, 1600, 32), output("b8", 1, 1600, 20), output("a16", 1, 400, 32), output("b16", 1, 400, 20));

        assertThat(drafted.outputs()).containsOnly(Map.entry("scores_stride8", "b8"), Map.entry("boxes_stride8", "a8"),
                Map.entry("scores_stride16", "b16"), Map.entry("boxes_stride16", "a16"));
        assertThat(drafted.labels()).isEqualTo(20);
    }

    @Test
    void yoloV8SegPairsRowsWithPrototypes() {
        DetectionDraft.Drafted drafted = draft(80, Task.INSTANCE_SEGMENTATION, 640, Set.of(),
                output("output0", 1, 116, 8400), output("output1", 1, 32, 160, 160));

        assertThat(drafted.outputs()).containsOnly(Map.entry("predictions", "output0"), Map.entry("prototypes", "output1"));
        assertThat(drafted.layout()).isEqualTo(new DetectionLayout(List.of("predictions"), true, 0, BoxEncoding.CXCYWH,
                BoxUnits.PIXELS, null, null, null, 0, 4, Activation.NONE, Background.NONE, null, "prototypes", 84));
    }

    @Test
    void rolesNamedByTheUserAreKept() {
        DetectionDraft.Drafted drafted = DetectionDraft.draft(List.of(new DetectionDraft.Output("rows", "Identity",
                new long[] {1, 100, 6})), 80, Task.DETECTION, 512, 512, key -> false, checks);

        assertThat(drafted.outputs()).containsExactly(Map.entry("rows", "Identity"));
        assertThat(drafted.layout().rows()).containsExactly("rows");
    }

    @Test
    void shapesThatFitNoLayoutDraftNothingAndSaySo() {
        assertThat(draft(80, Task.DETECTION, 512, Set.of(), output("Identity", 1, 100, 7))).isNull();
        assertThat(checks).singleElement().asString().startsWith("detection: no known layout fits Identity [1, 100, 7]"
                + " with 80 labels");
        assertThat(draft(null, Task.DETECTION, 512, Set.of(), output("a", 1, 10, 4), output("b", 1, 10, 3))).isNull();
    }
}
