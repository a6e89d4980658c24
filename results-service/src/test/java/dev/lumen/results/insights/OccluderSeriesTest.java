package dev.lumen.results.insights;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.lumen.explainer.model.LoadedModel;
import dev.lumen.fixtures.OccluderFixture;
import dev.lumen.fixtures.SquaresFixture.LabelledImage;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The brief's occluder case end to end on fixtures trained here: five models with 0%, 25%, 50%, 75% and
 * 100% extra caged training images, one run each over the same held-out images (every other one behind
 * the cage, tagged {@code cage}), and the cage slice across the series: score and in-box energy on the
 * caged images rise with the share of caged training images, while the clean images stay where they are.
 */
class OccluderSeriesTest {

    private static final Path DIR = Path.of("target", "occluder-fixture");
    private static final int IMAGES = 36;
    private static final ObjectMapper MAPPER = new ObjectMapper();

    private static RunSeries series;

    @BeforeAll
    static void explainWithEveryModel() throws Exception {
        List<LabelledImage> images = OccluderFixture.writeImages(DIR.resolve("held-out"), 5, IMAGES);
        GroundTruth truth = GroundTruth.parse(FixtureRuns.coco(images, OccluderFixture.labels()), MAPPER);
        Map<String, List<String>> tagged = new TreeMap<>();
        images.stream().map(i -> i.file().getFileName().toString()).filter(f -> f.contains("-" + OccluderFixture.CAGE_TAG))
                .forEach(f -> tagged.put(f, List.of(OccluderFixture.CAGE_TAG)));
        List<RunSeries.Run> runs = new ArrayList<>();
        List<InsightsView> views = new ArrayList<>();
        for (double share : OccluderFixture.SHARES) {
            String runId = "occluder-" + Math.round(share * 100);
            runs.add(new RunSeries.Run(runId, Math.round(share * 100) + "% caged", "gradcam"));
            views.add(FixtureRuns.run(runId, model(share), images, truth, new ImageTags(tagged)));
        }
        series = RunSeries.of(OccluderFixture.CAGE_TAG, runs, views);
    }

    @Test
    void scoreAndInBoxEnergyOnTheCageSliceRiseWithTheShareOfCagedTrainingImages() {
        System.out.print(series.csv());
        List<Double> cagedScore = meanOverClasses(p -> p.score().slice());
        List<Double> cagedEnergy = meanOverClasses(p -> p.inBoxEnergy().slice());
        List<Double> cleanScore = meanOverClasses(p -> p.score().rest());
        System.out.println("cage slice, mean over classes, by share 0..100%: score " + cagedScore + ", in-box energy "
                + cagedEnergy + "; clean images' score " + cleanScore);
        assertThat(series.points()).hasSize(OccluderFixture.SHARES.size() * OccluderFixture.labels().size());
        // Without caged training images the cage costs the score; with as many caged as clean it does not.
        assertThat(cagedScore.get(cagedScore.size() - 1) - cagedScore.get(0)).isGreaterThan(0.2);
        assertThat(cagedEnergy.get(cagedEnergy.size() - 1)).isGreaterThan(cagedEnergy.get(0));
        assertThat(Math.abs(cleanScore.get(cleanScore.size() - 1) - cleanScore.get(0))).isLessThan(0.15);
        // The first model's caged images score lower than its clean ones, with an interval that says so.
        assertThat(series.points().stream().filter(p -> p.position() == 0))
                .anySatisfy(p -> assertThat(p.score().high()).isNegative());
        assertThat(series.csv().lines().count()).isEqualTo(1 + series.points().size());
    }

    private static List<Double> meanOverClasses(java.util.function.ToDoubleFunction<RunSeries.Point> value) {
        List<Double> means = new ArrayList<>();
        for (int r = 0; r < series.runs().size(); r++) {
            int position = r;
            means.add(Math.round(series.points().stream().filter(p -> p.position() == position).mapToDouble(value)
                    .average().orElseThrow() * 1000) / 1000.0);
        }
        return means;
    }

    private static LoadedModel model(double share) {
        Path dir = DIR.resolve("model-" + Math.round(share * 100));
        if (!Files.isRegularFile(dir.resolve("lumen-model.json"))) {
            long start = System.nanoTime();
            OccluderFixture.buildModel(dir, 21, share);
            System.out.printf("trained the %.0f%% model in %.1f s%n", share * 100, (System.nanoTime() - start) / 1e9);
        }
        return LoadedModel.load(dir);
    }
}
