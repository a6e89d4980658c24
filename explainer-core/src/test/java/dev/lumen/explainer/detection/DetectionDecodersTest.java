package dev.lumen.explainer.detection;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.lumen.explainer.model.FloatTensor;
import dev.lumen.explainer.model.InputGeometry;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The decoders on hand-made outputs whose boxes are known. */
class DetectionDecodersTest {

    @Test
    void objectDetectionApiBoxesAreNormalisedYxAndClassesOneBased() {
        FloatTensor boxes = new FloatTensor(new long[] {1, 2, 4}, new float[] {0.1f, 0.2f, 0.5f, 0.6f, 0, 0, 1, 1});
        FloatTensor scores = new FloatTensor(new long[] {1, 2}, new float[] {0.9f, 0.8f});
        FloatTensor classes = new FloatTensor(new long[] {1, 2}, new float[] {2, 1});
        FloatTensor count = new FloatTensor(new long[] {1}, new float[] {1});
        FloatTensor multiclass = new FloatTensor(new long[] {1, 2, 3}, new float[] {0.05f, 0.05f, 0.9f, 0.2f, 0.8f, 0});
        List<Proposals> decoded = new ObjectDetectionApiDecoder().decode(Map.of("detection_boxes", boxes,
                "detection_scores", scores, "detection_classes", classes, "num_detections", count,
                "detection_multiclass_scores", multiclass), 2, 200, 100, 0.01);
        assertThat(decoded).hasSize(1);
        assertThat(decoded.get(0).all()).hasSize(1);
        Detection d = decoded.get(0).get(0);
        assertThat(d.box()).containsExactly(new double[] {40, 10, 120, 50}, within(1e-4));
        assertThat(d.label()).isEqualTo(1);
        assertThat(d.classScores()).containsExactly(0.05f, 0.9f);
    }

    @Test
    void nanoDetDecodesDistanceDistributionsAroundCellCentres() {
        int size = 32;
        int labels = 2;
        int bins = 11;
        // Stride 16 only: a 2x2 grid. Point 3 (cell 1,1; centre 24,24) is label 1 with distances 1, 2, 0.5, 0 strides.
        float[] scores = new float[4 * labels];
        scores[3 * labels + 1] = 0.7f;
        float[] boxes = new float[4 * 4 * bins];
        double[] distances = {1, 2, 0.5, 0};
        for (int side = 0; side < 4; side++) {
            int offset = (3 * 4 + side) * bins;
            double d = distances[side];
            int low = (int) Math.floor(d);
            // Two equal logits around a half-way distance: the expectation is their mean.
            boxes[offset + low] = 20;
            boxes[offset + (d == low ? low : low + 1)] = 20;
            for (int b = 0; b < bins; b++) {
                if (boxes[offset + b] == 0) {
                    boxes[offset + b] = -50;
                }
            }
        }
        List<Proposals> decoded = new NanoDetDecoder().decode(Map.of(
                "scores_stride16", new FloatTensor(new long[] {1, 4, labels}, scores),
                "boxes_stride16", new FloatTensor(new long[] {1, 4, 4 * bins}, boxes)), labels, size, size, 0.5);
        assertThat(decoded.get(0).all()).hasSize(1);
        Detection d = decoded.get(0).get(0);
        assertThat(d.label()).isEqualTo(1);
        assertThat(d.score()).isCloseTo(0.7, within(1e-6));
        assertThat(d.box()).containsExactly(new double[] {24 - 16, 24 - 32, 24 + 8, 24}, within(1e-3));
    }

    @Test
    void boxesGoBackToOriginalPixelsThroughTheLetterbox() {
        // 200x100 image letterboxed into 100x100: content 100x50 at y 25.
        InputGeometry geometry = new InputGeometry(200, 100, 100, 100, 0, 25, 100, 50);
        assertThat(Boxes.toOriginal(new double[] {10, 25, 50, 50}, geometry))
                .containsExactly(new double[] {20, 0, 100, 50}, within(1e-9));
    }

    @Test
    void nmsKeepsTheBestOfOverlappingBoxesPerLabel() {
        Detection a = new Detection(new double[] {0, 0, 10, 10}, 0.9, 0, new float[] {1}, null);
        Detection b = new Detection(new double[] {1, 1, 11, 11}, 0.8, 0, new float[] {1}, null);
        Detection c = new Detection(new double[] {50, 50, 60, 60}, 0.7, 0, new float[] {1}, null);
        assertThat(Boxes.nms(List.of(b, c, a), 0.5, 0.5)).containsExactly(a, c);
    }
}
