package dev.lumen.explainer.cli;

import static dev.lumen.catalogue.MethodCatalogue.BATCH;
import static dev.lumen.catalogue.MethodCatalogue.MASKS;
import static dev.lumen.catalogue.MethodCatalogue.METRICS;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.lumen.catalogue.MethodCatalogue;
import dev.lumen.explainer.ExplainOptions;
import dev.lumen.explainer.ExplainResult;
import dev.lumen.explainer.Explainer;
import dev.lumen.explainer.Images;
import dev.lumen.explainer.TargetExplanation;
import dev.lumen.explainer.method.MaskedSaliency;
import dev.lumen.explainer.model.FloatTensor;
import dev.lumen.explainer.model.LoadedModel;
import dev.lumen.explainer.model.ModelInput;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Bench case {@value #CASE}: D-RISE per image, as a user runs it (catalogue defaults: early stop on,
 * metrics off), on the real detectors of the demo assets, CenterNet (batch fixed at 1) and NanoDet
 * (dynamic batch), on the photos whose detections {@code RealModelsIT} checks; in one run, so the
 * figures compare. Beside each image: the masks drawn, the seconds, and the model's own forward time
 * (measured just before) at batch 1 and per image at the batch D-RISE ran, so the cost of a fixed
 * batch shows.
 */
final class RealDetectorBench {

    static final String CASE = "drise-real-detectors";
    private static final List<String> MODELS = List.of("centernet", "nanodet");
    private static final List<String> PHOTOS = List.of("chelsea.png", "chicky_512.png", "coffee.png");
    private static final int FORWARD_RUNS = 5;

    private final PrintStream out;
    private final ObjectMapper json = new ObjectMapper();

    RealDetectorBench(PrintStream out) {
        this.out = out;
    }

    /** Runs the case for every model and photo present under {@code assets}; says which are missing. */
    void run(Path assets, boolean quick) throws IOException {
        for (String name : MODELS) {
            Path dir = assets.resolve("models").resolve(name);
            if (!Files.isRegularFile(dir.resolve("saved_model.pb"))) {
                out.println(json.createObjectNode().put("case", CASE).put("model", name)
                        .put("skipped", dir + " is missing: run scripts/demo-assets.sh"));
                continue;
            }
            try (LoadedModel model = LoadedModel.load(dir)) {
                Explainer explainer = new Explainer(model);
                int batch = MaskedSaliency.batchSize(model,
                        (Integer) MethodCatalogue.DRISE.parameter(BATCH.name()).orElseThrow().defaultValue());
                for (String photo : PHOTOS) {
                    Path file = assets.resolve("photos").resolve(photo);
                    if (!Files.isRegularFile(file)) {
                        continue;
                    }
                    BufferedImage image = Images.decode(Files.readAllBytes(file));
                    // Measured beside each D-RISE run: the shared machine's load drifts between rows.
                    ModelInput input = model.preprocessor().prepare(image);
                    double forwardMs = forwardMs(model, input, 1);
                    double forwardMsInBatch = batch == 1 ? forwardMs : forwardMs(model, input, batch);
                    Map<String, Object> parameters = new HashMap<>(Map.of(METRICS.name(), false));
                    if (quick) {
                        parameters.put(MASKS.name(), 500);
                    }
                    ExplainResult result = explainer.explain(image,
                            new ExplainOptions(MethodCatalogue.DRISE.id(), 1L, parameters));
                    long masks = result.forwardPasses() - 1;
                    List<String> targets = new ArrayList<>();
                    for (TargetExplanation explanation : result.explanations()) {
                        targets.add(explanation.target().label() + String.format(" %.2f", explanation.target().score()));
                    }
                    out.println(json.createObjectNode().put("case", CASE).put("model", name).put("photo", photo)
                            .put("maxBatch", model.maxBatch() == Integer.MAX_VALUE ? -1 : model.maxBatch())
                            .put("batch", batch).put("masks", masks).put("targets", String.join(", ", targets))
                            .put("seconds", round(result.explainMs() / 1000.0, 1))
                            .put("forwardMsBatch1", round(forwardMs, 1))
                            .put("forwardMsPerImageAtBatch", round(forwardMsInBatch, 1))
                            .put("msPerMask", round(result.explainMs() / (double) Math.max(1, masks), 1))
                            .put("notes", String.join("; ", result.notes())));
                }
            }
        }
    }

    /**
     * Fastest wall time per image of {@value #FORWARD_RUNS} runs of {@code batch} copies of the input,
     * after one warm-up: the fastest, because other jobs on the machine only ever add time.
     */
    private static double forwardMs(LoadedModel model, ModelInput input, int batch) {
        FloatTensor tensor = model.preprocessor().tensor(List.of(input)).repeat(batch);
        model.run(tensor);
        double fastest = Double.MAX_VALUE;
        for (int i = 0; i < FORWARD_RUNS; i++) {
            long start = System.nanoTime();
            model.run(tensor);
            fastest = Math.min(fastest, (System.nanoTime() - start) / 1e6 / batch);
        }
        return fastest;
    }

    private static double round(double value, int digits) {
        double scale = Math.pow(10, digits);
        return Math.round(value * scale) / scale;
    }
}
