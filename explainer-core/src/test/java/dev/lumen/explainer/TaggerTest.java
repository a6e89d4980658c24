package dev.lumen.explainer;

import static org.assertj.core.api.Assertions.assertThat;

import dev.lumen.fixtures.TaggerFixture;
import dev.lumen.fixtures.TaggerFixture.TaggedImage;
import dev.lumen.explainer.metric.PointingGame;
import java.awt.image.BufferedImage;
import java.nio.file.Files;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Grad-CAM on the tagger fixture: every tag above the threshold gets its own map, and each map
 * points at the square that decides its tag, not at the other tags' squares.
 */
class TaggerTest {

    private static Explainer explainer;
    private static List<TaggedImage> images;

    @BeforeAll
    static void load() {
        explainer = new Explainer(TaggerModel.model());
        images = TaggerModel.heldOut();
        System.out.println("tagger fixture: " + TaggerFixture.trainingRecord(TaggerModel.dir()));
    }

    @Test
    void eachTagAboveTheThresholdGetsAMapThatPointsAtItsSquare() throws Exception {
        List<String> labels = TaggerFixture.labels();
        int[] objects = new int[labels.size()];
        int[] hits = new int[labels.size()];
        int spurious = 0;
        for (TaggedImage image : images) {
            if (image.tags().isEmpty()) {
                continue;
            }
            BufferedImage picture = read(image);
            ExplainResult result = explainer.explain(picture, new ExplainOptions("gradcam", null, Map.of("metrics", false)));
            assertThat(result.skippedReason()).isNull();
            // One map per tag above the threshold, and nothing else.
            assertThat(result.explanations()).extracting(TargetExplanation::target)
                    .containsExactlyElementsOf(result.predictions());
            assertThat(result.predictions()).allSatisfy(p -> {
                assertThat(p.kind()).isEqualTo("tag");
                assertThat(p.score()).isGreaterThanOrEqualTo(0.5);
            });
            for (TaggedImage.Tag tag : image.tags()) {
                objects[tag.index()]++;
                TargetExplanation explanation = result.explanations().stream()
                        .filter(e -> e.target().index() == tag.index()).findFirst().orElse(null);
                if (explanation != null
                        && PointingGame.hit(explanation.saliency(), tag.box(), picture.getWidth(), picture.getHeight(), 0)) {
                    hits[tag.index()]++;
                }
            }
            spurious += (int) result.predictions().stream()
                    .filter(p -> image.tags().stream().noneMatch(t -> t.index() == p.index())).count();
        }
        for (int t = 0; t < labels.size(); t++) {
            System.out.printf("pointing game gradcam tagger, tag %s: %d/%d = %.1f%%%n", labels.get(t), hits[t], objects[t],
                    100.0 * hits[t] / objects[t]);
        }
        System.out.printf("tagger: %d predicted tags without their square%n", spurious);
        for (int t = 0; t < labels.size(); t++) {
            // A tag the model missed counts as a miss: the game is played on every square.
            assertThat(hits[t] / (double) objects[t]).as("pointing game of tag %s", labels.get(t))
                    .isGreaterThanOrEqualTo(0.95);
        }
        assertThat(spurious).isLessThanOrEqualTo(1);
    }

    @Test
    void anImageWithoutSquaresIsSkippedNotFailedNorExplainedWithAnEmptyMap() throws Exception {
        List<TaggedImage> empty = images.stream().filter(i -> i.tags().isEmpty()).toList();
        assertThat(empty).isNotEmpty();
        for (TaggedImage image : empty) {
            ExplainResult result = explainer.explain(read(image), ExplainOptions.of("gradcam"));
            assertThat(result.skippedReason()).isEqualTo("no prediction above 0.5");
            assertThat(result.explanations()).isEmpty();
            assertThat(result.predictions()).isEmpty();
            assertThat(result.targetLayer()).isEqualTo("relu4");
        }
    }

    private static BufferedImage read(TaggedImage image) throws Exception {
        return Images.decode(Files.readAllBytes(image.file()));
    }
}
