package dev.lumen.explainer.model;

import dev.lumen.catalogue.Task;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class ModelDescriptorTest {

    private static final String VALID = """
            {
              "task": "classification",
              "labels": ["cat", "dog"],
              "input": {"tensor": "image", "layout": "NHWC", "width": 224, "height": 224, "channels": 3,
                        "colorOrder": "BGR", "scale": 1.0, "mean": [103.5, 116.3, 123.7], "std": [57.4, 57.1, 58.4],
                        "resize": "letterbox"},
              "outputs": {"logits": "logits"},
              "targetLayer": "block5"
            }
            """;

    @TempDir
    Path dir;

    @Test
    void readsEveryFieldAndFillsDefaults() throws Exception {
        Files.writeString(dir.resolve("lumen-model.json"), VALID);
        ModelDescriptor descriptor = ModelDescriptor.read(dir);
        assertThat(descriptor.task()).isEqualTo(Task.CLASSIFICATION);
        assertThat(descriptor.labels()).containsExactly("cat", "dog");
        assertThat(descriptor.input().signatureKey()).isEqualTo("serving_default");
        assertThat(descriptor.input().colorOrder()).isEqualTo(ModelDescriptor.ColorOrder.BGR);
        assertThat(descriptor.input().resize()).isEqualTo(ModelDescriptor.ResizeMode.LETTERBOX);
        assertThat(descriptor.input().mean()).containsExactly(103.5, 116.3, 123.7);
        assertThat(descriptor.outputs()).containsEntry("logits", "logits");
        assertThat(descriptor.scoreThreshold()).isEqualTo(0.0);
        assertThat(descriptor.targetLayer()).isEqualTo("block5");
    }

    @Test
    void writtenDescriptorsReadBackEqual() throws Exception {
        Files.writeString(dir.resolve("lumen-model.json"), VALID);
        ModelDescriptor descriptor = ModelDescriptor.read(dir);
        Path copy = dir.resolve("copy");
        descriptor.write(copy);
        ModelDescriptor again = ModelDescriptor.read(copy);
        assertThat(again.labels()).isEqualTo(descriptor.labels());
        assertThat(again.input().std()).containsExactly(descriptor.input().std());
        assertThat(again.input().resize()).isEqualTo(descriptor.input().resize());
        assertThat(again.outputs()).isEqualTo(descriptor.outputs());
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
            "\"width\": 224,|\"width\": 0,|lumen-model.json: input.width must be > 0",
            "\"width\": 224,|\"width\": \"wide\",|lumen-model.json: input.width must be an integer",
            "\"width\": 224,|| lumen-model.json: input.width is required",
            "\"classification\"|\"regression\"|lumen-model.json: task must be one of classification, multilabel",
            "\"channels\": 3,|\"channels\": 4,|lumen-model.json: input.channels must be 1 or 3",
            "\"std\": [57.4, 57.1, 58.4]|\"std\": [57.4, 0, 58.4]|lumen-model.json: input.std[1] must be > 0",
            "\"mean\": [103.5, 116.3, 123.7]|\"mean\": [1, 2]|lumen-model.json: input.mean must be an array of 3 numbers",
            "\"layout\": \"NHWC\"|\"layout\": \"HWC\"|lumen-model.json: input.layout must be one of NHWC, NCHW",
            "\"resize\": \"letterbox\"|\"resize\": \"crop\"|lumen-model.json: input.resize must be one of stretch, letterbox",
            "[\"cat\", \"dog\"]|[]|lumen-model.json: labels must be a non-empty array",
            "[\"cat\", \"dog\"]|[\"cat\", 7]|lumen-model.json: labels[1] must be a non-empty string",
            "{\"logits\": \"logits\"}|{\"boxes\": \"b\"}|lumen-model.json: outputs must name a 'scores' or 'logits' output",
            "\"targetLayer\": \"block5\"|\"targetLayer\": \"block5\", \"colour\": 1|lumen-model.json: colour is not a known field",
            "\"tensor\": \"image\"|\"tensr\": \"image\"|lumen-model.json: input.tensr is not a known field",
            "\"targetLayer\": \"block5\"|\"background\": 0|lumen-model.json: background applies to task semantic-segmentation only",
    })
    void errorsNameTheField(String original, String replacement, String message) throws Exception {
        String json = VALID.replace(original, replacement == null ? "" : replacement);
        assertThat(json).isNotEqualTo(VALID);
        Files.writeString(dir.resolve("lumen-model.json"), json);
        assertThatThrownBy(() -> ModelDescriptor.read(dir))
                .isInstanceOf(InvalidDescriptorException.class)
                .hasMessageStartingWith(message.trim());
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
            "\"background\": 0,|",
            "\"background\": 2,|lumen-model.json: background must be in 0..1 (an index into labels), got 2",
            "\"background\": \"sky\",|lumen-model.json: background must be a label index (an integer)",
    })
    void segmentersMayNameTheirBackground(String field, String error) throws Exception {
        String json = VALID.replace("\"classification\"", "\"semantic-segmentation\"").replace("\"targetLayer\"",
                field + " \"targetLayer\"");
        Files.writeString(dir.resolve("lumen-model.json"), json);
        if (error == null) {
            assertThat(ModelDescriptor.read(dir).background()).isZero();
            ModelDescriptor.read(dir).write(dir.resolve("copy"));
            assertThat(ModelDescriptor.read(dir.resolve("copy")).background()).isZero();
        } else {
            assertThatThrownBy(() -> ModelDescriptor.read(dir)).isInstanceOf(InvalidDescriptorException.class)
                    .hasMessage(error);
        }
        String single = json.replace("[\"cat\", \"dog\"]", "[\"person\"]");
        Files.writeString(dir.resolve("lumen-model.json"), single);
        if (error == null) {
            assertThatThrownBy(() -> ModelDescriptor.read(dir)).isInstanceOf(InvalidDescriptorException.class)
                    .hasMessageStartingWith("lumen-model.json: background must be absent for a single-label segmenter");
        }
    }

    @Test
    void missingFileAndBrokenJsonAreReported() throws Exception {
        assertThatThrownBy(() -> ModelDescriptor.read(dir)).hasMessageContaining("lumen-model.json: not found in");
        Files.writeString(dir.resolve("lumen-model.json"), "{\"task\": ");
        assertThatThrownBy(() -> ModelDescriptor.read(dir))
                .isInstanceOf(InvalidDescriptorException.class)
                .hasMessageContaining("lumen-model.json: not valid JSON (line 1)");
    }
}
