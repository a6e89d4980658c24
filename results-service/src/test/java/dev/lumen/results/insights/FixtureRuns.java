package dev.lumen.results.insights;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.lumen.contracts.ContextScores;
import dev.lumen.contracts.ImageResult;
import dev.lumen.contracts.MapGrid;
import dev.lumen.contracts.Metrics;
import dev.lumen.contracts.ModelRef;
import dev.lumen.contracts.Outcome;
import dev.lumen.contracts.Target;
import dev.lumen.explainer.ExplainOptions;
import dev.lumen.explainer.ExplainResult;
import dev.lumen.explainer.Explainer;
import dev.lumen.explainer.ImageObject;
import dev.lumen.explainer.Images;
import dev.lumen.explainer.TargetExplanation;
import dev.lumen.explainer.model.LoadedModel;
import dev.lumen.fixtures.SquaresFixture.LabelledImage;
import dev.lumen.render.SaliencyMap;
import dev.lumen.render.SaliencyPng;
import dev.lumen.results.storage.StoredResult;

import java.awt.image.BufferedImage;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Runs of fixture models through the insights as results-service computes them, without the services:
 * each labelled image explained with Grad-CAM (its class chosen, its ground-truth box given), its map
 * stored and read back as a 16-bit PNG, results added in a shuffled arrival order (and one redelivered),
 * and a recomputation from scratch kept at hand.
 */
final class FixtureRuns {

    private static final ObjectMapper MAPPER = new ObjectMapper();

    private FixtureRuns() {
    }

    private static final Map<String, List<Arrival>> ARRIVALS = new java.util.HashMap<>();

    /** The results of a run as they arrived (each with its maps as stored). */
    static List<Arrival> arrivals(String runId) {
        return ARRIVALS.get(runId);
    }

    record Arrival(StoredResult result, List<SaliencyMap> maps) {
    }

    static InsightsView run(String runId, LoadedModel model, List<LabelledImage> images, GroundTruth groundTruth,
            ImageTags tags) throws Exception {
        Explainer explainer = new Explainer(model);
        List<Arrival> arrivals = new ArrayList<>();
        for (LabelledImage image : images) {
            BufferedImage picture = Images.decode(Files.readAllBytes(image.file()));
            // The square's ground-truth box travels with the image, as run-service sends it: the context test's reference.
            ExplainResult result = explainer.explain(picture, new ExplainOptions("gradcam", 1L, Map.of("class", image.label()),
                    List.of(new ImageObject(image.box(), image.label()))));
            TargetExplanation explanation = result.explanations().get(0);
            // As stored by results-service: a 16-bit PNG at the image's size.
            SaliencyMap map = SaliencyPng.decode16(SaliencyPng.encode16(
                    explanation.saliency().resize(picture.getWidth(), picture.getHeight())));
            Target target = new Target("class", explanation.target().label(), explanation.target().index(),
                    explanation.target().score(), null);
            String imageId = image.file().getFileName().toString();
            ImageResult explained = ImageResult.builder().runId(runId).tenant("default").imageId(imageId)
                    .imageKey("datasets/bias/images/" + imageId).imageTotal(images.size()).outcome(Outcome.EXPLAINED)
                    .size(picture.getWidth(), picture.getHeight()).method("gradcam").model(new ModelRef(runId))
                    .targetLayer(result.targetLayer()).predictions(List.of(target)).worker("test").build();
            MapGrid grid = explanation.grid() == null ? null : new MapGrid(explanation.grid().x(), explanation.grid().y(),
                    explanation.grid().cellWidth(), explanation.grid().cellHeight());
            StoredResult stored = StoredResult.of(explained, List.of(new StoredResult.StoredExplanation(target,
                    new Metrics(explanation.deletionAuc(), explanation.insertionAuc(), contextScores(explanation)),
                    "saliency-0.png", "heatmap-0.png", "overlay-0.png", grid)));
            arrivals.add(new Arrival(stored, List.of(map)));
        }
        ARRIVALS.put(runId, arrivals);
        List<Arrival> order = new ArrayList<>(arrivals);
        Collections.shuffle(order, new Random(3));
        InsightsAccumulator accumulator = new InsightsAccumulator(runId, groundTruth, tags);
        SCRATCH.put(runId, () -> new InsightsAccumulator(runId, groundTruth, tags));
        for (int i = 0; i < order.size(); i++) {
            Arrival arrival = order.get(i);
            accumulator.add(arrival.result(), InsightsCalculator.measure(arrival.result(), arrival.maps(), groundTruth));
            InsightsView now = accumulator.snapshot();
            assertThat(now.processed()).isEqualTo(i + 1);
            assertThat(now.complete()).isEqualTo(i == order.size() - 1);
        }
        // A redelivered result changes nothing.
        Arrival again = order.get(0);
        assertThat(accumulator.add(again.result(), InsightsCalculator.measure(again.result(), again.maps(), groundTruth))).isFalse();
        return accumulator.snapshot();
    }

    private static ContextScores contextScores(TargetExplanation explanation) {
        var context = explanation.context();
        return context == null ? null
                : new ContextScores(context.reference(), context.contextRemovedScore(), context.objectRemovedScore());
    }

    private static final Map<String, java.util.function.Supplier<InsightsAccumulator>> SCRATCH = new java.util.HashMap<>();

    static InsightsView scratch(String runId) {
        InsightsAccumulator accumulator = SCRATCH.get(runId).get();
        for (Arrival arrival : ARRIVALS.get(runId)) {
            accumulator.add(arrival.result(), InsightsCalculator.measure(arrival.result(), arrival.maps(),
                    accumulator.groundTruth()));
        }
        return accumulator.snapshot();
    }

    /** The images' squares as COCO ground truth, as a dataset upload would store it. */
    static byte[] coco(List<LabelledImage> images, List<String> labels) throws Exception {
        ObjectNode root = MAPPER.createObjectNode();
        ArrayNode imageList = root.putArray("images");
        ArrayNode annotations = root.putArray("annotations");
        ArrayNode categories = root.putArray("categories");
                for (int c = 0; c < labels.size(); c++) {
            categories.addObject().put("id", c + 1).put("name", labels.get(c));
        }
        for (int i = 0; i < images.size(); i++) {
            LabelledImage image = images.get(i);
            imageList.addObject().put("id", i + 1).put("file_name", image.file().getFileName().toString())
                    .put("width", 96).put("height", 96);
            double[] b = image.box();
            annotations.addObject().put("id", i + 1).put("image_id", i + 1).put("category_id", image.index() + 1)
                    .putArray("bbox").add(b[0]).add(b[1]).add(b[2] - b[0]).add(b[3] - b[1]);
        }
        return MAPPER.writeValueAsBytes(root);
    }
}
