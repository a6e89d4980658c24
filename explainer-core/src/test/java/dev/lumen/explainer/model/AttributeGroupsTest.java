package dev.lumen.explainer.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.lumen.explainer.ExplainOptions;
import dev.lumen.explainer.ExplainResult;
import dev.lumen.explainer.Explainer;
import dev.lumen.explainer.ImageObject;
import dev.lumen.explainer.Prediction;
import dev.lumen.explainer.SquaresModel;
import dev.lumen.explainer.TargetExplanation;
import dev.lumen.fixtures.SquaresFixture;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Attribute groups in {@code lumen-model.json}: parsing and its errors, and a grouped model run
 * end to end on the squares fixture, whose one output head becomes one softmax group.
 */
class AttributeGroupsTest {

    private static final String INPUT = """
            "input": {"tensor": "image", "width": 96, "height": 96}""";
    private static final String GROUPED = """
            {
              "task": "attributes",
              %s,
              "outputs": {"stripes": "logits", "raw": "scores"},
              "groups": [
                {"name": "stripes", "output": "stripes", "decoder": "softmax",
                 "labels": ["horizontal", "vertical", "diagonal"]},
                {"name": "tags", "output": "stripes", "decoder": "sigmoid", "labels": ["h", "v", "d"]}
              ],
              "scoreThreshold": 0.5
            }
            """.formatted(INPUT);

    @TempDir
    Path dir;

    @Test
    void groupsBecomeLabelsShownAsGroupAndValue() {
        ModelDescriptor descriptor = ModelDescriptor.parse(GROUPED.getBytes(StandardCharsets.UTF_8));
        assertThat(descriptor.labels()).containsExactly("stripes: horizontal", "stripes: vertical", "stripes: diagonal",
                "tags: h", "tags: v", "tags: d");
        assertThat(descriptor.groups()).extracting(AttributeGroup::name).containsExactly("stripes", "tags");
        assertThat(descriptor.groups().get(1).decoder()).isEqualTo(AttributeGroup.Decoder.SIGMOID);
        assertThat(descriptor.groupOf(4).name()).isEqualTo("tags");
        assertThat(descriptor.offsetOf(descriptor.groups().get(1))).isEqualTo(3);
    }

    @Test
    void writtenGroupsReadBackEqual() {
        ModelDescriptor descriptor = ModelDescriptor.parse(GROUPED.getBytes(StandardCharsets.UTF_8));
        descriptor.write(dir);
        ModelDescriptor again = ModelDescriptor.read(dir);
        assertThat(again.groups()).isEqualTo(descriptor.groups());
        assertThat(again.labels()).isEqualTo(descriptor.labels());
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
        "missing output|\"output\": \"stripes\", \"decoder\": \"softmax\"|\"output\": \"age\", \"decoder\": \"softmax\"|groups[0].output names output 'age', which is not in outputs (known: raw, stripes)",
        "bad decoder|\"decoder\": \"softmax\"|\"decoder\": \"argmax\"|groups[0].decoder must be softmax or sigmoid, got 'argmax'",
        "no labels|\"labels\": [\"horizontal\", \"vertical\", \"diagonal\"]|\"labels\": []|groups[0].labels must be a non-empty array of strings",
        "colon in name|\"name\": \"tags\"|\"name\": \"t:ags\"|groups[1].name must not contain ':'",
        "same name twice|\"name\": \"tags\"|\"name\": \"stripes\"|groups[1].name 'stripes' names two groups",
        "labels beside groups|\"task\": \"attributes\",|\"task\": \"attributes\", \"labels\": [\"x\"],|labels must be absent when groups are given",
        "other task|\"task\": \"attributes\"|\"task\": \"multilabel\"|groups applies to task attributes only",
        "unknown field|\"decoder\": \"sigmoid\"|\"decoder\": \"sigmoid\", \"threshold\": 1|groups[1].threshold is not a known field",
    })
    void badGroupsNameTheField(String name, String from, String to, String message) {
        String json = GROUPED.replaceFirst(java.util.regex.Pattern.quote(from), java.util.regex.Matcher.quoteReplacement(to));
        assertThat(json).isNotEqualTo(GROUPED);
        assertThatThrownBy(() -> ModelDescriptor.parse(json.getBytes(StandardCharsets.UTF_8)))
                .isInstanceOf(InvalidDescriptorException.class)
                .hasMessageContaining("lumen-model.json: " + message);
    }

    @Test
    void labelsThatDoNotMatchTheHeadAreRefusedAtLoad() throws IOException {
        copyFixtureModel(GROUPED.replace("\"labels\": [\"h\", \"v\", \"d\"]", "\"labels\": [\"h\", \"v\"]"));
        assertThatThrownBy(() -> LoadedModel.load(dir))
                .isInstanceOf(InvalidDescriptorException.class)
                .hasMessageContaining("lumen-model.json: groups[1].labels has 2 entries but the head of group tags (output 'stripes', shape [-1, 3]) has 3"
                        + " values per image");
    }

    @Test
    void aGroupOnAnOutputTheGraphLacksIsRefusedAtLoad() throws IOException {
        copyFixtureModel(GROUPED.replace("\"stripes\": \"logits\"", "\"stripes\": \"no_such_head\""));
        assertThatThrownBy(() -> LoadedModel.load(dir))
                .isInstanceOf(InvalidDescriptorException.class)
                .hasMessageContaining("outputs.stripes 'no_such_head' is neither one of the outputs of signature");
    }

    /**
     * The fixture's classifier head as a softmax group matches the classifier's own scores and
     * predicts its top class; the same logits as a sigmoid group predict each value at or above the
     * threshold; each target's gradient map comes from its own group's head.
     */
    @Test
    void aGroupedModelPredictsAndExplainsEachGroup() throws IOException {
        copyFixtureModel(GROUPED);
        SquaresFixture.LabelledImage sample = SquaresModel.heldOut().get(0);
        BufferedImage image = ImageIO.read(sample.file().toFile());
        List<Prediction> classifier = new Explainer(SquaresModel.model())
                .explain(image, new ExplainOptions("gradcam", 1L, Map.of())).predictions();
        try (LoadedModel grouped = LoadedModel.load(dir)) {
            ExplainResult result = new Explainer(grouped).explain(image, new ExplainOptions("gradcam", 1L,
                    Map.of("cropMargin", 0.0), List.of(new ImageObject(new double[] {0, 0, image.getWidth(), image.getHeight()},
                            "image"))));
            Prediction stripes = result.predictions().get(0);
            assertThat(stripes.group()).isEqualTo("stripes");
            assertThat(stripes.label()).isEqualTo("stripes: " + classifier.get(0).label().replace("-stripes", ""));
            assertThat(stripes.score()).isCloseTo(classifier.get(0).score(), org.assertj.core.data.Offset.offset(1e-4));
            List<Prediction> tags = result.predictions().stream().filter(p -> "tags".equals(p.group())).toList();
            assertThat(tags).allSatisfy(p -> assertThat(p.score()).isGreaterThanOrEqualTo(0.5));
            assertThat(result.explanations()).extracting(e -> e.target().group()).contains("stripes");
            for (TargetExplanation explanation : result.explanations()) {
                assertThat(explanation.target().kind()).isEqualTo("attribute");
                assertThat(explanation.saliency().max()).isGreaterThan(0);
            }
        }
    }

    /**
     * The context test of an attribute blurs around and inside its object on the object's crop: the
     * object's box is the reference whatever the ground truth calls it.
     */
    @Test
    void anAttributeIsContextTestedAgainstItsObject() throws IOException {
        copyFixtureModel(GROUPED);
        SquaresFixture.LabelledImage sample = SquaresModel.heldOut().get(0);
        BufferedImage image = ImageIO.read(sample.file().toFile());
        try (LoadedModel grouped = LoadedModel.load(dir)) {
            ExplainResult result = new Explainer(grouped).explain(image, new ExplainOptions("gradcam", 1L, Map.of(),
                    List.of(new ImageObject(sample.box(), "square"))));
            TargetExplanation stripes = result.explanations().stream()
                    .filter(e -> "stripes".equals(e.target().group())).findFirst().orElseThrow();
            assertThat(stripes.context()).isNotNull();
            assertThat(stripes.context().reference()).isEqualTo("ground-truth");
            // The squares' stripes are the evidence: blurring the square costs more than blurring around it.
            assertThat(stripes.context().objectRemovedScore()).isLessThan(stripes.context().contextRemovedScore());
            assertThat(stripes.target().box()).containsExactly(sample.box());
        }
    }

    private void copyFixtureModel(String descriptor) throws IOException {
        Path source = SquaresFixture.modelDir(SquaresModel.dir());
        try (Stream<Path> files = Files.walk(source)) {
            for (Path file : files.toList()) {
                Path target = dir.resolve(source.relativize(file).toString());
                if (Files.isDirectory(file)) {
                    Files.createDirectories(target);
                } else if (!file.getFileName().toString().equals(ModelDescriptor.FILE_NAME)) {
                    Files.copy(file, target);
                }
            }
        }
        Files.writeString(dir.resolve(ModelDescriptor.FILE_NAME), descriptor);
    }
}
