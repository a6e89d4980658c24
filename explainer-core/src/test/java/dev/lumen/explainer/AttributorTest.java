package dev.lumen.explainer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.lumen.fixtures.AttributorFixture;
import dev.lumen.fixtures.AttributorFixture.AttributedImage;
import dev.lumen.fixtures.AttributorFixture.AttributedObject;
import dev.lumen.fixtures.AttributorFixture.Attribute;
import dev.lumen.explainer.metric.PointingGame;
import dev.lumen.explainer.targets.ObjectCrop;
import dev.lumen.render.SaliencyMap;
import java.awt.image.BufferedImage;
import java.nio.file.Files;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Grad-CAM on the attributor fixture: full images with two objects and their boxes supplied; each
 * (object, attribute) is one target, explained on the object's crop, and its whole-image map must
 * peak on the part (the quadrant mark) that decides the attribute.
 */
class AttributorTest {

    private static final Map<String, Object> NO_METRICS = Map.of("metrics", false);
    private static Explainer explainer;
    private static List<AttributedImage> images;

    @BeforeAll
    static void load() {
        explainer = new Explainer(AttributorModel.model());
        images = AttributorModel.heldOut();
        System.out.println("attributor fixture: " + AttributorFixture.trainingRecord(AttributorModel.dir()));
    }

    @Test
    void eachObjectsAttributeMapsPeakOnTheDecidingPart() throws Exception {
        int attributes = 0;
        int hits = 0;
        int spurious = 0;
        for (AttributedImage image : images) {
            BufferedImage picture = read(image);
            ExplainResult result = explainer.explain(picture, options("gradcam", image, NO_METRICS));
            assertThat(result.skippedReason()).isNull();
            assertThat(result.explanations()).extracting(TargetExplanation::target)
                    .usingRecursiveFieldByFieldElementComparator()
                    .containsExactlyElementsOf(result.predictions());
            for (AttributedObject object : image.objects()) {
                List<TargetExplanation> ofObject = result.explanations().stream()
                        .filter(e -> Arrays.equals(e.target().box(), object.box())).toList();
                for (Attribute attribute : object.attributes()) {
                    attributes++;
                    TargetExplanation explanation = ofObject.stream()
                            .filter(e -> e.target().index() == attribute.index()).findFirst().orElse(null);
                    if (explanation != null && PointingGame.hit(explanation.saliency(), attribute.part(),
                            picture.getWidth(), picture.getHeight(), 0)) {
                        hits++;
                    }
                }
                spurious += (int) ofObject.stream().filter(e -> object.attributes().stream()
                        .noneMatch(a -> a.index() == e.target().index())).count();
            }
            for (TargetExplanation explanation : result.explanations()) {
                assertThat(explanation.target().kind()).isEqualTo("attribute");
                assertZeroOutsideCrop(explanation, picture);
            }
        }
        double share = hits / (double) attributes;
        System.out.printf("pointing game gradcam attributor (map max on the deciding part): %d/%d = %.1f%%, "
                + "%d attributes predicted that the object does not have%n", hits, attributes, 100 * share, spurious);
        // An attribute the model missed counts as a miss.
        assertThat(share).isGreaterThanOrEqualTo(0.95);
        assertThat(spurious).isLessThanOrEqualTo(1);
    }

    @Test
    void withoutObjectsTheWholeImageIsTheOneObject() throws Exception {
        AttributedImage image = images.get(0);
        BufferedImage picture = read(image);
        ExplainResult result = explainer.explain(picture, new ExplainOptions("gradcam", null, NO_METRICS));
        assertThat(result.targetLayer()).isEqualTo("relu4");
        assertThat(result.predictions()).isNotEmpty().allSatisfy(p ->
                assertThat(p.box()).containsExactly(0, 0, AttributorFixture.WIDTH, AttributorFixture.HEIGHT));
        assertThat(result.explanations()).hasSameSizeAs(result.predictions());
        assertThat(result.notes()).isEmpty();
    }

    @Test
    void anObjectWithoutAttributesIsSkippedWhileTheOthersAreExplained() throws Exception {
        // A box of object size over plain background: nothing to find there.
        AttributedImage image = images.stream().filter(i -> emptyBackground(i) != null).findFirst().orElseThrow();
        BufferedImage picture = read(image);
        double[] empty = emptyBackground(image);
        List<ImageObject> objects = List.of(new ImageObject(image.objects().get(0).box(), "thing"),
                new ImageObject(empty, "background"));
        ExplainResult result = explainer.explain(picture, new ExplainOptions("gradcam", null, NO_METRICS, objects));
        assertThat(result.skippedReason()).isNull();
        assertThat(result.explanations()).isNotEmpty()
                .allSatisfy(e -> assertThat(e.target().box()).containsExactly(image.objects().get(0).box()));
        assertThat(result.notes()).contains("objects[1]: skipped, no prediction above 0.5");

        ExplainResult onlyEmpty = explainer.explain(picture,
                new ExplainOptions("gradcam", null, NO_METRICS, List.of(new ImageObject(empty, null))));
        assertThat(onlyEmpty.skippedReason()).isEqualTo("no prediction above 0.5");
        assertThat(onlyEmpty.explanations()).isEmpty();
    }

    @Test
    void riseExplainsObjectsThroughTheSameCrops() throws Exception {
        AttributedImage image = images.get(2);
        BufferedImage picture = read(image);
        ExplainResult result = explainer.explain(picture,
                options("rise", image, Map.of("metrics", false, "masks", 600, "grid", 8)));
        assertThat(result.notes()).anyMatch(n -> n.startsWith("objects[0]: rise: ")).anyMatch(n -> n.startsWith("objects[1]: rise: "));
        int hits = 0;
        int attributes = 0;
        for (AttributedObject object : image.objects()) {
            for (Attribute attribute : object.attributes()) {
                attributes++;
                TargetExplanation explanation = result.explanations().stream()
                        .filter(e -> Arrays.equals(e.target().box(), object.box()) && e.target().index() == attribute.index())
                        .findFirst().orElseThrow();
                hits += PointingGame.hit(explanation.saliency(), attribute.part(), picture.getWidth(), picture.getHeight(), 0)
                        ? 1 : 0;
            }
        }
        System.out.printf("pointing game rise attributor, one image: %d/%d%n", hits, attributes);
        assertThat(hits).isGreaterThanOrEqualTo(attributes - 1);
    }

    @Test
    void objectsOutsideTheImageAndBadMarginsAreRefusedByName() throws Exception {
        BufferedImage picture = read(images.get(0));
        List<ImageObject> outside = List.of(new ImageObject(new double[] {0, 0, 10, 10}, null),
                new ImageObject(new double[] {500, 10, 520, 30}, null));
        assertThatThrownBy(() -> explainer.explain(picture, new ExplainOptions("gradcam", null, NO_METRICS, outside)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("objects[1].box: box [500.0, 10.0, 520.0, 30.0] lies outside the 192x144 image");
        assertThatThrownBy(() -> explainer.explain(picture, new ExplainOptions("gradcam", null, Map.of("cropMargin", 5),
                List.of(new ImageObject(new double[] {0, 0, 10, 10}, null)))))
                .hasMessage("parameter cropMargin must be in 0..2, got 5");
        assertThatThrownBy(() -> new ImageObject(new double[] {10, 0, 5, 10}, null))
                .hasMessageContaining("x2 > x1");
    }

    /** The map is the crop's map put back: nothing outside the crop. */
    private static void assertZeroOutsideCrop(TargetExplanation explanation, BufferedImage picture) {
        ObjectCrop crop = ObjectCrop.around(explanation.target().box(), ObjectCrop.DEFAULT_MARGIN, picture.getWidth(),
                picture.getHeight());
        SaliencyMap map = explanation.saliency();
        double scaleX = picture.getWidth() / (double) map.width();
        double scaleY = picture.getHeight() / (double) map.height();
        for (int y = 0; y < map.height(); y++) {
            for (int x = 0; x < map.width(); x++) {
                double cx = (x + 0.5) * scaleX;
                double cy = (y + 0.5) * scaleY;
                boolean inside = cx >= crop.x() && cx < crop.x() + crop.width() && cy >= crop.y() && cy < crop.y() + crop.height();
                if (!inside) {
                    assertThat(map.get(x, y)).as("map outside the crop at %d,%d", x, y).isZero();
                }
            }
        }
    }

    /** A 44x44 box whose crop touches no object, or null. */
    private static double[] emptyBackground(AttributedImage image) {
        int side = 44;
        for (int y = 0; y + side <= AttributorFixture.HEIGHT; y += 4) {
            for (int x = 0; x + side <= AttributorFixture.WIDTH; x += 4) {
                double[] box = {x, y, x + side, y + side};
                ObjectCrop crop = ObjectCrop.around(box, ObjectCrop.DEFAULT_MARGIN, AttributorFixture.WIDTH,
                        AttributorFixture.HEIGHT);
                boolean clear = image.objects().stream().allMatch(o -> o.box()[2] <= crop.x() || o.box()[0] >= crop.x() + crop.width()
                        || o.box()[3] <= crop.y() || o.box()[1] >= crop.y() + crop.height());
                if (clear) {
                    return box;
                }
            }
        }
        return null;
    }

    private static ExplainOptions options(String method, AttributedImage image, Map<String, Object> parameters) {
        List<ImageObject> objects = image.objects().stream().map(o -> new ImageObject(o.box(), "object")).toList();
        return new ExplainOptions(method, 5L, parameters, objects);
    }

    private static BufferedImage read(AttributedImage image) throws Exception {
        return Images.decode(Files.readAllBytes(image.file()));
    }
}
