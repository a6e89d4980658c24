package dev.lumen.explainer.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.lumen.fixtures.SegmenterFixture;
import dev.lumen.fixtures.SquaresFixture;
import dev.lumen.fixtures.TaggerFixture;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LumenCliTest {

    private static final long SEED = FixturesCommand.DEFAULT_SEED;
    private static final Path FIXTURES = Path.of("target", "fixtures");

    @TempDir
    Path out;

    private final ByteArrayOutputStream stdout = new ByteArrayOutputStream();
    private final ByteArrayOutputStream stderr = new ByteArrayOutputStream();

    private int run(String... args) {
        return LumenCli.run(args, new PrintStream(stdout, true, StandardCharsets.UTF_8),
                new PrintStream(stderr, true, StandardCharsets.UTF_8), false);
    }

    private String err() {
        return stderr.toString(StandardCharsets.UTF_8);
    }

    private static Path squares() {
        return SquaresFixture.build(FIXTURES.resolve("squares-" + SEED), SEED);
    }

    private static List<SquaresFixture.LabelledImage> heldOutSquares() {
        return SquaresFixture.groundTruth(squares());
    }

    private static String modelDir() {
        return SquaresFixture.modelDir(squares()).toString();
    }

    @Test
    void modelsCheckPrintsDetectionsWritesBoxPngsAndRefusesAContradictoryLayout() throws Exception {
        Path fixture = dev.lumen.fixtures.DetectorFixture.build(FIXTURES.resolve("detector-" + SEED), SEED);
        Path packed = dev.lumen.fixtures.DetectorExports.export(fixture, FIXTURES.resolve("detector-packed-" + SEED),
                dev.lumen.fixtures.DetectorExports.Layout.PACKED);
        String image = dev.lumen.fixtures.DetectorFixture.groundTruth(fixture).get(0).file().toString();
        assertThat(run("models", "check", packed.toString(), "--out", out.toString(), image)).isEqualTo(LumenCli.OK);
        String printed = stdout.toString(StandardCharsets.UTF_8);
        assertThat(printed).contains("decoder layout").contains("2 predictions").contains("box [");
        BufferedImage drawn = ImageIO.read(out.resolve("objects-00-check.png").toFile());
        assertThat(drawn.getWidth()).isEqualTo(dev.lumen.fixtures.DetectorFixture.SIZE);

        // The score and class columns swapped: class indices (up to 2) are not scores.
        Path swapped = out.resolve("swapped");
        Files.createDirectories(swapped.resolve("variables"));
        Files.copy(packed.resolve("saved_model.pb"), swapped.resolve("saved_model.pb"));
        Files.writeString(swapped.resolve("lumen-model.json"), Files.readString(packed.resolve("lumen-model.json"))
                .replace("\"preset\" : \"packed\"", "\"preset\" : \"packed\", \"score\": 5, \"class\": 4"));
        stdout.reset();
        int status = run("models", "check", swapped.toString(), "--out", out.toString(), image);
        assertThat(err()).contains("detection.score (column 5)");
        assertThat(status).isEqualTo(LumenCli.MODEL_FAILED);
    }

    @Test
    void explainWritesJsonSaliencyAndOverlayPerImage() throws Exception {
        List<String> args = new ArrayList<>(List.of("explain", "--model", modelDir(), "--method", "gradcam",
                "--out", out.toString()));
        heldOutSquares().subList(0, 2).forEach(image -> args.add(image.file().toString()));

        assertThat(run(args.toArray(String[]::new))).as(err()).isEqualTo(0);

        Path dir = out.resolve("square-00");
        JsonNode report = new ObjectMapper().readTree(dir.resolve("explanations.json").toFile());
        assertThat(report.get("image").asText()).endsWith("square-00.png");
        assertThat(report.get("width").asInt()).isEqualTo(96);
        assertThat(report.get("method").asText()).isEqualTo("gradcam");
        assertThat(report.get("model").asText()).isEqualTo(modelDir());
        assertThat(report.get("skipped").isNull()).isTrue();
        JsonNode explanation = report.get("explanations").get(0);
        assertThat(explanation.get("target").get("label").asText()).isEqualTo(heldOutSquares().get(0).label());
        assertThat(explanation.get("target").has("box")).isTrue();
        assertThat(explanation.get("saliency").asText()).isEqualTo("saliency-0.png");
        assertThat(explanation.get("overlay").asText()).isEqualTo("overlay-0.png");
        assertThat(explanation.get("metrics").get("deletionAuc").asDouble()).isBetween(0.0, 1.0);
        assertThat(explanation.get("metrics").get("insertionAuc").asDouble()).isBetween(0.0, 1.0);
        assertThat(report.get("timing").get("forwardPasses").asLong()).isEqualTo(35);

        BufferedImage saliency = ImageIO.read(new ByteArrayInputStream(Files.readAllBytes(dir.resolve("saliency-0.png"))));
        assertThat(saliency.getRaster().getSampleModel().getSampleSize(0)).isEqualTo(16);
        assertThat(saliency.getWidth()).isEqualTo(96);
        assertThat(ImageIO.read(dir.resolve("overlay-0.png").toFile()).getHeight()).isEqualTo(96);
        assertThat(out.resolve("square-01").resolve("explanations.json")).exists();
        assertThat(stdout.toString(StandardCharsets.UTF_8)).contains("explained 2 of 2 image(s)");
    }

    @Test
    void badImagesAreReportedInOneLineAndTheRunGoesOn() throws Exception {
        Path text = out.resolve("notes.png");
        Files.writeString(text, "not a picture");
        int status = run("explain", "--model", modelDir(), "--no-metrics", "--out", out.resolve("results").toString(),
                out.resolve("missing.png").toString(), text.toString(), heldOutSquares().get(0).file().toString());
        assertThat(status).isEqualTo(LumenCli.SOME_FAILED);
        assertThat(err()).contains("missing.png: no such file")
                .contains("notes.png: unsupported image format")
                .doesNotContain("\tat ");
        JsonNode report = new ObjectMapper().readTree(out.resolve("results/square-00/explanations.json").toFile());
        // The format keeps "metrics" (null when off); only the segment-only "region" is left out.
        assertThat(report.get("explanations").get(0).get("metrics").isNull()).isTrue();
        assertThat(report.get("explanations").get(0).has("region")).isFalse();
    }

    @Test
    void anUnloadableModelStopsTheRunWithoutAStackTrace() throws Exception {
        Files.writeString(out.resolve("lumen-model.json"), "{}");
        assertThat(run("explain", "--model", out.toString(), "--out", out.toString(), "x.png"))
                .isEqualTo(LumenCli.MODEL_FAILED);
        assertThat(err()).startsWith("error: cannot load model: lumen-model.json: task is required")
                .doesNotContain("\tat ");
    }

    @Test
    void usageErrorsExplainThemselves() {
        assertThat(run("explain", "--model", modelDir(), "--method", "lime", "--out", out.toString(), "x.png"))
                .isEqualTo(LumenCli.USAGE);
        assertThat(err()).contains("unknown method 'lime'; allowed: gradcam").contains("usage: lumen explain");
        assertThat(run("explain", "--model", modelDir(), "--out", out.toString())).isEqualTo(LumenCli.USAGE);
        assertThat(err()).contains("no images given");
        assertThat(run()).isEqualTo(LumenCli.USAGE);
        assertThat(run("explain", "--bogus")).isEqualTo(LumenCli.USAGE);
        assertThat(err()).contains("unknown option --bogus");
    }

    @Test
    void fixturesReusesACompleteFixture() {
        Path dir = squares();
        assertThat(run("fixtures", "squares", "--out", dir.toString(), "--seed", String.valueOf(SEED)))
                .isEqualTo(LumenCli.OK);
        assertThat(stdout.toString(StandardCharsets.UTF_8)).contains("squares fixture in " + dir)
                .contains(SquaresFixture.HELD_OUT_IMAGES + " held-out images");
        assertThat(run("fixtures", "circles", "--out", dir.toString())).isEqualTo(LumenCli.USAGE);
        assertThat(err()).contains("available: squares, detector, segmenter, instance-segmenter, tagger, attributor");
    }

    @Test
    void explainsASegmenterWithSegmentTargets() throws Exception {
        Path fixture = FIXTURES.resolve("segmenter-" + SEED);
        assertThat(run("fixtures", "segmenter", "--out", fixture.toString(), "--seed", String.valueOf(SEED)))
                .isEqualTo(LumenCli.OK);
        assertThat(stdout.toString(StandardCharsets.UTF_8)).contains("segmenter fixture in " + fixture)
                .contains(SegmenterFixture.HELD_OUT_IMAGES + " held-out images");
        SegmenterFixture.LabelledImage image = SegmenterFixture.groundTruth(fixture).get(0);
        assertThat(run("explain", "--model", SegmenterFixture.modelDir(fixture).toString(), "--method", "gradcam",
                "--out", out.toString(), image.file().toString())).as(err()).isEqualTo(LumenCli.OK);

        String stem = image.file().getFileName().toString().replace(".png", "");
        JsonNode report = new ObjectMapper().readTree(out.resolve(stem).resolve("explanations.json").toFile());
        assertThat(report.get("targetLayer").asText()).isEqualTo("relu4");
        assertThat(report.get("explanations")).hasSize(2);
        for (JsonNode explanation : report.get("explanations")) {
            assertThat(explanation.at("/target/kind").asText()).isEqualTo("segment");
            assertThat(explanation.at("/target/box")).hasSize(4);
            assertThat(explanation.at("/metrics/deletionAuc").asDouble())
                    .isLessThan(explanation.at("/metrics/insertionAuc").asDouble());
            assertThat(out.resolve(stem).resolve(explanation.get("saliency").asText())).isRegularFile();
        }
        List<Integer> explained = new ArrayList<>();
        report.get("explanations").forEach(e -> explained.add(e.at("/target/index").asInt()));
        assertThat(explained).containsExactlyInAnyOrderElementsOf(
                image.objects().stream().map(SegmenterFixture.LabelledImage.Object::label).toList());
    }

    /**
     * {@code --objects}: a COCO file's boxes become the objects an attribute model explains, here the
     * squares classifier's head described as one attribute group.
     */
    @Test
    void explainTakesTheObjectsOfAnAttributeModelFromCocoGroundTruth() throws Exception {
        Path grouped = out.resolve("grouped");
        Path source = Path.of(modelDir());
        try (var files = Files.walk(source)) {
            for (Path file : files.toList()) {
                Path target = grouped.resolve(source.relativize(file).toString());
                if (Files.isDirectory(file)) {
                    Files.createDirectories(target);
                } else if (!file.getFileName().toString().equals("lumen-model.json")) {
                    Files.copy(file, target);
                }
            }
        }
        Files.writeString(grouped.resolve("lumen-model.json"), """
                {"task": "attributes", "input": {"tensor": "image", "width": 96, "height": 96},
                 "outputs": {"stripes": "logits"},
                 "groups": [{"name": "stripes", "output": "stripes", "decoder": "softmax",
                             "labels": ["horizontal", "vertical", "diagonal"]}]}
                """);
        SquaresFixture.LabelledImage image = heldOutSquares().get(0);
        double[] box = image.box();
        Path coco = Files.writeString(out.resolve("objects.json"), """
                {"images": [{"id": 7, "file_name": "some/folder/%s"}],
                 "annotations": [{"id": 1, "image_id": 7, "category_id": 1, "bbox": [%s, %s, %s, %s]}],
                 "categories": [{"id": 1, "name": "square"}]}
                """.formatted(image.file().getFileName(), box[0], box[1], box[2] - box[0], box[3] - box[1]));

        assertThat(run("explain", "--model", grouped.toString(), "--objects", coco.toString(), "--out",
                out.resolve("res").toString(), image.file().toString())).as(err()).isEqualTo(LumenCli.OK);

        JsonNode target = new ObjectMapper().readTree(out.resolve("res/square-00/explanations.json").toFile())
                .path("explanations").path(0).path("target");
        assertThat(target.path("kind").asText()).isEqualTo("attribute");
        assertThat(target.path("group").asText()).isEqualTo("stripes");
        assertThat(target.path("label").asText()).startsWith("stripes: ");
        assertThat(target.path("box").get(0).asDouble()).isEqualTo(box[0]);
        assertThat(target.path("box").get(3).asDouble()).isEqualTo(box[3]);

        Path bad = Files.writeString(out.resolve("bad.json"), "{\"images\": [], \"annotations\": [{\"image_id\": 1}]}");
        assertThat(run("explain", "--model", grouped.toString(), "--objects", bad.toString(), "--out",
                out.resolve("bad").toString(), image.file().toString())).isEqualTo(LumenCli.USAGE);
        assertThat(err()).contains("--objects: annotations[0] needs an image_id of images and a bbox [x, y, w, h]");
    }

    @Test
    void fixturesBuildsTheTagger() {
        Path dir = FIXTURES.resolve("tagger-" + SEED);
        assertThat(run("fixtures", "tagger", "--out", dir.toString(), "--seed", String.valueOf(SEED)))
                .isEqualTo(LumenCli.OK);
        assertThat(stdout.toString(StandardCharsets.UTF_8)).contains("tagger fixture in " + dir)
                .contains(TaggerFixture.HELD_OUT_IMAGES + " held-out images");
    }
}
