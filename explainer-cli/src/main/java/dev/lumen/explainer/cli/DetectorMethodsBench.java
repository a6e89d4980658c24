package dev.lumen.explainer.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.lumen.explainer.ExplainOptions;
import dev.lumen.explainer.ExplainResult;
import dev.lumen.explainer.Explainer;
import dev.lumen.explainer.Images;
import dev.lumen.explainer.ModelCheck;
import dev.lumen.explainer.TargetExplanation;
import dev.lumen.explainer.detection.Boxes;
import dev.lumen.explainer.method.OnlineSaliency;
import dev.lumen.explainer.model.LoadedModel;
import dev.lumen.render.SaliencyMap;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

/**
 * {@code bench --case detector-methods}: on a real detector and the demo photos, per detection, the
 * gradient map's cost over the model's own cost (one prediction: resize, forward, decode, NMS), and
 * how it agrees with D-RISE's map: Pearson correlation, whether both peaks fall inside the box, and
 * D-RISE's seconds. One JSON line per detection, then a summary line per model.
 */
final class DetectorMethodsBench {

    /** The photos of the demo assets the real-model tests use, plus three with several objects. */
    static final List<String> PHOTOS = List.of("chelsea.png", "chicky_512.png", "coffee.png", "fruits.jpg",
            "motorcycle_left.png", "stuff.jpg");
    private static final int REPEATS = 3;

    private final PrintStream out;
    private final ObjectMapper json = new ObjectMapper();

    DetectorMethodsBench(PrintStream out) {
        this.out = out;
    }

    /**
     * Runs the case on {@code modelDir} with the given photos.
     *
     * @param masks D-RISE's mask budget (early stopping on)
     */
    void run(Path modelDir, String name, List<Path> photos, int masks) throws IOException {
        ExplainOptions gradient = new ExplainOptions("odam", 7L, Map.of("metrics", false));
        ExplainOptions drise = new ExplainOptions("drise", 7L, Map.of("metrics", false, "masks", masks));
        List<Double> ratios = new ArrayList<>();
        List<Double> pearsons = new ArrayList<>();
        int bothInside = 0;
        int gradientInside = 0;
        int driseInside = 0;
        double driseSeconds = 0;
        try (LoadedModel model = LoadedModel.load(modelDir)) {
            Explainer explainer = new Explainer(model);
            for (Path photo : photos) {
                BufferedImage image = Images.decode(Files.readAllBytes(photo));
                ModelCheck.run(model, image);
                explainer.explain(image, gradient);
                double predictMs = median(REPEATS, () -> ModelCheck.run(model, image));
                ExplainResult[] last = new ExplainResult[1];
                double gradientMs = median(REPEATS, () -> last[0] = explainer.explain(image, gradient));
                long start = System.nanoTime();
                ExplainResult reference = explainer.explain(image, drise);
                double seconds = (System.nanoTime() - start) / 1e9;
                driseSeconds += seconds;
                double ratio = gradientMs / predictMs;
                ratios.add(ratio);
                for (TargetExplanation mine : last[0].explanations()) {
                    TargetExplanation theirs = reference.explanations().stream()
                            .filter(e -> e.target().index() == mine.target().index()
                                    && Boxes.iou(e.target().box(), mine.target().box()) > 0.9)
                            .findFirst().orElse(null);
                    if (theirs == null) {
                        continue;
                    }
                    double pearson = OnlineSaliency.pearson(mine.saliency().values(),
                            theirs.saliency().resize(mine.saliency().width(), mine.saliency().height()).values());
                    boolean gradientHit = peakInside(mine.saliency(), mine.target().box(), image);
                    boolean driseHit = peakInside(theirs.saliency(), theirs.target().box(), image);
                    pearsons.add(pearson);
                    gradientInside += gradientHit ? 1 : 0;
                    driseInside += driseHit ? 1 : 0;
                    bothInside += gradientHit && driseHit ? 1 : 0;
                    ObjectNode line = json.createObjectNode().put("case", "detector-methods").put("model", name)
                            .put("photo", photo.getFileName().toString()).put("label", mine.target().label())
                            .put("score", round(mine.target().score(), 3)).put("predictMs", round(predictMs, 1))
                            .put("odamMs", round(gradientMs, 1)).put("odamOverPredict", round(ratio, 2))
                            .put("driseSeconds", round(seconds, 1)).put("driseForwardPasses", reference.forwardPasses())
                            .put("pearson", round(pearson, 3)).put("odamPeakInBox", gradientHit)
                            .put("drisePeakInBox", driseHit);
                    out.println(line);
                }
            }
        }
        ObjectNode summary = json.createObjectNode().put("case", "detector-methods-summary").put("model", name)
                .put("photos", photos.size()).put("detections", pearsons.size())
                .put("meanOdamOverPredict", round(mean(ratios), 2))
                .put("meanPearson", round(mean(pearsons), 3))
                .put("odamPeaksInBox", gradientInside).put("drisePeaksInBox", driseInside).put("bothInBox", bothInside)
                .put("driseSecondsPerPhoto", round(driseSeconds / photos.size(), 1)).put("driseMasks", drise.parameters()
                        .get("masks").toString());
        out.println(summary);
    }

    private static boolean peakInside(SaliencyMap map, double[] box, BufferedImage image) {
        int peak = map.argMax();
        double x = (peak % map.width() + 0.5) * image.getWidth() / map.width();
        double y = (peak / map.width() + 0.5) * image.getHeight() / map.height();
        return x >= box[0] && x <= box[2] && y >= box[1] && y <= box[3];
    }

    private static double median(int repeats, Runnable run) {
        double[] ms = new double[repeats];
        for (int i = 0; i < repeats; i++) {
            long start = System.nanoTime();
            run.run();
            ms[i] = (System.nanoTime() - start) / 1e6;
        }
        Arrays.sort(ms);
        return ms[repeats / 2];
    }

    private static double mean(List<Double> values) {
        return values.stream().mapToDouble(Double::doubleValue).average().orElse(Double.NaN);
    }

    private static double round(double value, int digits) {
        double scale = Math.pow(10, digits);
        return Math.round(value * scale) / scale;
    }
}
