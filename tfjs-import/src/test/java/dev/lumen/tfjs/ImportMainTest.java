package dev.lumen.tfjs;

import static org.assertj.core.api.Assertions.assertThat;

import dev.lumen.catalogue.Task;
import dev.lumen.explainer.model.ModelDescriptor;
import dev.lumen.explainer.model.ModelDescriptor.ColorOrder;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The command line: arguments into options, exit statuses, messages. */
class ImportMainTest {

    @TempDir
    Path dir;

    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private final ByteArrayOutputStream err = new ByteArrayOutputStream();

    @Test
    void importsWithEveryDescriptorOption() throws Exception {
        Path model = TfjsImporterTest.fusedConvolution().write(dir.resolve("tfjs"));
        Files.writeString(dir.resolve("labels.txt"), "cat\ndog\n\nbird\nfish\n");

        int status = run("models", "import-tfjs", model.toString(), "--out", dir.resolve("out").toString(),
                "--task", "multilabel", "--labels", dir.resolve("labels.txt").toString(), "--color-order", "BGR",
                "--scale", "1", "--mean", "10", "--std", "2", "--resize", "letterbox", "--output", "scores=flat",
                "--decoder", "sigmoid", "--score-threshold", "0.3", "--dynamic-batch");

        assertThat(status).as(err.toString()).isZero();
        assertThat(out.toString()).contains("Imported", "dynamic batch: 2 rewrites");
        ModelDescriptor descriptor = ModelDescriptor.read(dir.resolve("out"));
        assertThat(descriptor.task()).isEqualTo(Task.MULTILABEL);
        assertThat(descriptor.labels()).containsExactly("cat", "dog", "bird", "fish");
        assertThat(descriptor.input().colorOrder()).isEqualTo(ColorOrder.BGR);
        assertThat(descriptor.input().mean()).containsExactly(10.0);
        assertThat(descriptor.outputs()).containsExactly(Map.entry("scores", "flat"));
        assertThat(descriptor.decoder()).isEqualTo("sigmoid");
        assertThat(descriptor.scoreThreshold()).isEqualTo(0.3);
    }

    @Test
    void usageErrorsExitWithTwo() {
        assertThat(run("model.json")).isEqualTo(2);
        assertThat(err.toString()).contains("--out DIR is required", "usage:");
        assertThat(run("model.json", "--out", "x", "--colour", "RGB")).isEqualTo(2);
        assertThat(err.toString()).contains("unknown option --colour");
    }

    @Test
    void modelsThatCannotBeImportedExitWithOne() throws Exception {
        Path model = dir.resolve("model.json");
        Files.writeString(model, "{\"format\": \"layers-model\", \"modelTopology\": {}}");

        assertThat(run(model.toString(), "--out", dir.resolve("out").toString())).isEqualTo(1);
        assertThat(err.toString()).contains("layers model");
    }

    private int run(String... args) {
        return ImportMain.run(args, new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8));
    }
}
