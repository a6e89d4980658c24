package dev.lumen.explainer;

import static org.assertj.core.api.Assertions.assertThat;

import dev.lumen.explainer.detection.Boxes;
import dev.lumen.explainer.detection.Detection;
import dev.lumen.explainer.detection.DetectionDecoder;
import dev.lumen.explainer.detection.DetectionDecoders;
import dev.lumen.fixtures.DetectorFixture;
import dev.lumen.explainer.model.LoadedModel;
import dev.lumen.catalogue.Task;
import java.nio.file.Files;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The instance-segmenter fixture: its detections carry masks that lie on their objects. */
class InstanceSegmentationTest {

    @Test
    void detectionsCarryMasksOnTheirObjects() throws Exception {
        LoadedModel model = InstanceSegmenterModel.model();
        assertThat(model.descriptor().task()).isEqualTo(Task.INSTANCE_SEGMENTATION);
        DetectionDecoder decoder = DetectionDecoders.forDescriptor(model.descriptor());
        double precision = 0;
        double recall = 0;
        int matched = 0;
        for (DetectorFixture.LabelledImage image : InstanceSegmenterModel.heldOut()) {
            var input = model.preprocessor().prepare(Images.decode(Files.readAllBytes(image.file())));
            List<Detection> kept = Boxes.nms(decoder.decode(model.forward(List.of(input), null).outputs(),
                    model.descriptor().labels().size(), input.width(), input.height(), 0.01).get(0).all(), 0.5, 0.5);
            for (DetectorFixture.LabelledImage.Object object : image.objects()) {
                Detection detection = kept.stream()
                        .filter(d -> d.label() == object.label() && Boxes.iou(d.box(), object.box()) > 0.2)
                        .findFirst().orElse(null);
                if (detection == null) {
                    continue;
                }
                assertThat(detection.mask()).hasSize(input.width() * input.height());
                // Within the detection's box, the mask should cover the object and little else.
                double inside = 0;
                double total = 0;
                double objectInBox = 0;
                double covered = 0;
                for (int y = 0; y < input.height(); y++) {
                    for (int x = 0; x < input.width(); x++) {
                        float m = detection.mask()[y * input.width() + x];
                        boolean onObject = x >= object.box()[0] && x < object.box()[2] && y >= object.box()[1]
                                && y < object.box()[3];
                        boolean inBox = x >= detection.box()[0] && x < detection.box()[2] && y >= detection.box()[1]
                                && y < detection.box()[3];
                        total += m;
                        inside += onObject ? m : 0;
                        if (onObject && inBox) {
                            objectInBox++;
                            covered += m;
                        }
                    }
                }
                precision += inside / total;
                recall += covered / objectInBox;
                matched++;
            }
        }
        System.out.printf("instance-segmenter masks over %d detections: %.3f of mask weight on the object, %.3f of"
                + " the object (within the box) covered%n", matched, precision / matched, recall / matched);
        assertThat(matched).isGreaterThanOrEqualTo(40);
        assertThat(precision / matched).isGreaterThan(0.8);
        assertThat(recall / matched).isGreaterThan(0.8);
    }

    @Test
    void resultsCarryTheTargetsBox() throws Exception {
        DetectorFixture.LabelledImage image = InstanceSegmenterModel.heldOut().get(0);
        Explainer explainer = new Explainer(InstanceSegmenterModel.model());
        for (ExplainOptions options : java.util.List.of(
                new ExplainOptions("drise", 3L, Map.of("masks", 300, "grid", 8, "metrics", false)),
                new ExplainOptions("odam", 3L, Map.of("metrics", false)))) {
            ExplainResult result = explainer.explain(Images.decode(Files.readAllBytes(image.file())), options);
            assertThat(result.notes()).as(options.method() + " runs itself").noneMatch(n -> n.contains("explained with"));
            assertThat(result.explanations()).isNotEmpty().allSatisfy(e -> {
                assertThat(e.target().kind()).isEqualTo("detection");
                assertThat(e.target().box()).hasSize(4);
            });
        }
    }
}
