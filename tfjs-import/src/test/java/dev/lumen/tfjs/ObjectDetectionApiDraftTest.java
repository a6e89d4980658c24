package dev.lumen.tfjs;

import static org.assertj.core.api.Assertions.assertThat;

import dev.lumen.explainer.ModelCheck;
import dev.lumen.explainer.model.LoadedModel;
import dev.lumen.explainer.model.ModelDescriptor;
import dev.lumen.explainer.model.graphdef.GraphEditor;
import dev.lumen.fixtures.DetectorExports;
import dev.lumen.fixtures.DetectorFixture;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.tensorflow.proto.MetaGraphDef;
import org.tensorflow.proto.SavedModel;

/**
 * A TF2 Object Detection API export with a {@code uint8} input of any size needs nothing beyond the
 * task and the labels: the draft reads the dtype, the dynamic size and the output names, and the
 * model then loads and finds the fixture's objects as drafted.
 */
class ObjectDetectionApiDraftTest {

    @Test
    void aUint8DynamicSizeExportIsDraftedFromTaskAndLabelsAlone() throws Exception {
        Path fixture = DetectorFixture.build(Path.of("target", "fixtures", "detector-42"), 42);
        Path model = DetectorExports.export(fixture, Path.of("target", "fixtures", "detector-odapi-uint8"),
                DetectorExports.Layout.OBJECT_DETECTION_API_UINT8);
        MetaGraphDef meta;
        try (InputStream in = Files.newInputStream(model.resolve("saved_model.pb"))) {
            meta = SavedModel.parseFrom(in).getMetaGraphs(0);
        }
        DescriptorDraft.Draft draft = DescriptorDraft.draft(meta.getSignatureDefOrThrow("serving_default"),
                new GraphEditor(meta.getGraphDef()),
                ImportOptions.defaults().withTask("detection").withLabels(List.of("red", "green", "blue")));
        ModelDescriptor descriptor = draft.descriptor();
        assertThat(descriptor.input().dtype()).isEqualTo(ModelDescriptor.Dtype.UINT8);
        assertThat(descriptor.input().scale()).isEqualTo(1.0);
        assertThat(descriptor.input().imageSize()).isTrue();
        assertThat(descriptor.decoder()).isEqualTo("object-detection-api");
        assertThat(draft.warnings()).anyMatch(w -> w.contains("uint8")).anyMatch(w -> w.contains("its own size"));

        Path drafted = Path.of("target", "odapi-uint8-drafted");
        Files.createDirectories(drafted.resolve("variables"));
        Files.copy(model.resolve("saved_model.pb"), drafted.resolve("saved_model.pb"),
                java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        descriptor.write(drafted);
        DetectorFixture.LabelledImage image = DetectorFixture.groundTruth(fixture).get(0);
        try (LoadedModel loaded = LoadedModel.load(drafted)) {
            ModelCheck.Result result = ModelCheck.run(loaded, ImageIO.read(image.file().toFile()));
            assertThat(result.predictions()).hasSize(image.objects().size());
            assertThat(result.predictions()).extracting(p -> p.index())
                    .containsExactlyInAnyOrderElementsOf(image.objects().stream().map(o -> o.label()).toList());
        }
    }
}
