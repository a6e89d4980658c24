package dev.lumen.explainer.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.lumen.explainer.SquaresModel;
import dev.lumen.fixtures.SquaresFixture;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LoadedModelTest {

    @TempDir
    Path dir;

    @Test
    void missingDirectoriesAndSavedModelsAreReportedClearly() throws IOException {
        assertThatThrownBy(() -> LoadedModel.load(dir.resolve("nothing")))
                .isInstanceOf(ModelLoadException.class)
                .hasMessageContaining("does not exist");
        Files.copy(SquaresFixture.modelDir(SquaresModel.dir()).resolve("lumen-model.json"), dir.resolve("lumen-model.json"));
        assertThatThrownBy(() -> LoadedModel.load(dir))
                .isInstanceOf(ModelLoadException.class)
                .hasMessageContaining("no saved_model.pb");
        Files.write(dir.resolve("saved_model.pb"), new byte[] {0x0a, (byte) 0xff, 0x13, 0x37});
        assertThatThrownBy(() -> LoadedModel.load(dir))
                .isInstanceOf(ModelLoadException.class)
                .hasMessageContaining("not a readable SavedModel");
    }

    @Test
    void aDescriptorThatDisagreesWithTheGraphNamesTheField() throws IOException {
        copyFixtureModel();
        rewriteDescriptor("\"width\" : 96", "\"width\" : 128");
        assertThatThrownBy(() -> LoadedModel.load(dir))
                .isInstanceOf(InvalidDescriptorException.class)
                .hasMessageContaining("lumen-model.json: input.width is 128 but the graph input image:0 has shape [-1, 96, 96, 3]");
    }

    @Test
    void unknownSignatureTensorsAreNamed() throws IOException {
        copyFixtureModel();
        rewriteDescriptor("\"logits\" : \"logits\"", "\"logits\" : \"no_such_output\"");
        assertThatThrownBy(() -> LoadedModel.load(dir))
                .isInstanceOf(InvalidDescriptorException.class)
                .hasMessageContaining("outputs.logits 'no_such_output' is neither one of the outputs of signature");
    }

    @Test
    void targetLayersCanBeNamedAndBadNamesAreRefused() {
        LoadedModel model = SquaresModel.model();
        TargetLayer named = model.targetLayer("relu3");
        assertThat(named.name()).isEqualTo("relu3");
        assertThat(named.discovered()).isFalse();
        assertThat(named.geometry().strideX()).isEqualTo(8.0);
        assertThat(model.targetLayer(null).discovered()).isTrue();
        assertThatThrownBy(() -> model.targetLayer("nope")).hasMessageContaining("'nope' is not an operation");
        assertThatThrownBy(() -> model.targetLayer("pool")).hasMessageContaining("must be a 4-D float activation");
    }

    private void copyFixtureModel() throws IOException {
        Path source = SquaresFixture.modelDir(SquaresModel.dir());
        try (Stream<Path> files = Files.walk(source)) {
            for (Path file : files.toList()) {
                Path target = dir.resolve(source.relativize(file).toString());
                if (Files.isDirectory(file)) {
                    Files.createDirectories(target);
                } else {
                    Files.copy(file, target);
                }
            }
        }
    }

    private void rewriteDescriptor(String from, String to) throws IOException {
        Path file = dir.resolve("lumen-model.json");
        String json = Files.readString(file);
        assertThat(json).contains(from);
        Files.writeString(file, json.replace(from, to));
    }
}
