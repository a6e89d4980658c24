package dev.lumen.explainer.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.lumen.explainer.ExplainOptions;
import dev.lumen.explainer.ExplainResult;
import dev.lumen.explainer.Explainer;
import dev.lumen.explainer.Images;
import dev.lumen.explainer.model.LoadedModel;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * {@code bench --case context-test}: what the context test (two forward passes per target) adds to an
 * explanation on the real detector, measured in one run: per photo and method the time with and without
 * it (median of alternating repeats), their ratio, and the forward passes of each.
 */
final class ContextTestBench {

    static final String CASE = "context-test";
    private static final int REPEATS = 3;

    private final PrintStream out;
    private final ObjectMapper json = new ObjectMapper();

    ContextTestBench(PrintStream out) {
        this.out = out;
    }

    /**
     * @param driseMasks D-RISE's fixed mask budget (early stop off, so both sides draw the same masks)
     */
    void run(Path modelDir, String name, List<Path> photos, int driseMasks) throws IOException {
        try (LoadedModel model = LoadedModel.load(modelDir)) {
            Explainer explainer = new Explainer(model);
            for (String method : List.of("odam", "drise")) {
                Map<String, Object> parameters = new HashMap<>(Map.of("metrics", false));
                if (method.equals("drise")) {
                    parameters.put("masks", driseMasks);
                    parameters.put("earlyStop", false);
                }
                double withSum = 0;
                double withoutSum = 0;
                for (Path photo : photos) {
                    BufferedImage image = Images.decode(Files.readAllBytes(photo));
                    ExplainOptions with = options(method, parameters, true);
                    ExplainOptions without = options(method, parameters, false);
                    explainer.explain(image, with);
                    double[] withMs = new double[REPEATS];
                    double[] withoutMs = new double[REPEATS];
                    ExplainResult[] last = new ExplainResult[2];
                    int repeats = method.equals("drise") ? 1 : REPEATS;
                    for (int r = 0; r < repeats; r++) {
                        long start = System.nanoTime();
                        last[0] = explainer.explain(image, with);
                        withMs[r] = (System.nanoTime() - start) / 1e6;
                        start = System.nanoTime();
                        last[1] = explainer.explain(image, without);
                        withoutMs[r] = (System.nanoTime() - start) / 1e6;
                    }
                    double withMedian = median(Arrays.copyOf(withMs, repeats));
                    double withoutMedian = median(Arrays.copyOf(withoutMs, repeats));
                    withSum += withMedian;
                    withoutSum += withoutMedian;
                    ObjectNode line = json.createObjectNode().put("case", CASE).put("model", name).put("method", method)
                            .put("photo", photo.getFileName().toString()).put("targets", last[0].explanations().size())
                            .put("msWith", round(withMedian)).put("msWithout", round(withoutMedian))
                            .put("ratio", round(withMedian / withoutMedian))
                            .put("forwardPassesWith", last[0].forwardPasses())
                            .put("forwardPassesWithout", last[1].forwardPasses());
                    out.println(line);
                }
                out.println(json.createObjectNode().put("case", CASE + "-summary").put("model", name).put("method", method)
                        .put("photos", photos.size()).put("secondsWith", round(withSum / 1000))
                        .put("secondsWithout", round(withoutSum / 1000)).put("ratio", round(withSum / withoutSum)));
            }
        }
    }

    private static ExplainOptions options(String method, Map<String, Object> parameters, boolean contextTest) {
        Map<String, Object> all = new HashMap<>(parameters);
        all.put("contextTest", contextTest);
        return new ExplainOptions(method, 7L, all);
    }

    private static double median(double[] values) {
        Arrays.sort(values);
        return values[values.length / 2];
    }

    private static double round(double value) {
        return Math.round(value * 100) / 100.0;
    }
}
