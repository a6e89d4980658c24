package dev.lumen.results.insights;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.lumen.contracts.Target;
import dev.lumen.explainer.model.LoadedModel;
import dev.lumen.fixtures.BiasFixture;
import dev.lumen.fixtures.SquaresFixture.LabelledImage;
import dev.lumen.render.SaliencyMap;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Dataset insights find a shortcut: a model trained to decide one class from a background cue (a
 * checkerboard in the corner, away from the object) is ranked most context-reliant for that class,
 * with in-box energy well below an unbiased model's on the same images, and the comparison of the two
 * runs shows the difference. Both models are trained here in Java (short training) and explained with
 * the explainer core directly; their results go through the insights computation as stored results
 * with the images' ground-truth boxes, added incrementally in arrival order.
 */
class BiasInsightsTest {

    private static final Path DIR = Path.of("target", "bias-fixture");
    private static final int IMAGES = 24;
    private static final ObjectMapper MAPPER = new ObjectMapper();

    private static List<LabelledImage> images;
    private static GroundTruth groundTruth;
    private static InsightsView biased;
    private static InsightsView unbiased;
    private static final int HELD_OUT = 36;
    private static List<LabelledImage> heldOut;
    private static GroundTruth heldOutTruth;
    private static ImageTags heldOutTags;
    private static InsightsView biasedHeldOut;
    private static InsightsView unbiasedHeldOut;

    @BeforeAll
    static void explainWithBothModels() throws Exception {
        images = BiasFixture.writeImages(DIR.resolve("images"), 7, IMAGES);
        groundTruth = GroundTruth.parse(FixtureRuns.coco(images, BiasFixture.labels()), MAPPER);
        biased = FixtureRuns.run("biased", model(true), images, groundTruth, ImageTags.NONE);
        unbiased = FixtureRuns.run("unbiased", model(false), images, groundTruth, ImageTags.NONE);
        // A held-out set where the cue is decorrelated from the class, its cue images tagged as a dataset would.
        heldOut = BiasFixture.writeDecorrelatedImages(DIR.resolve("held-out"), 8, HELD_OUT);
        heldOutTruth = GroundTruth.parse(FixtureRuns.coco(heldOut, BiasFixture.labels()), MAPPER);
        Map<String, List<String>> tagged = new java.util.TreeMap<>();
        heldOut.stream().map(i -> i.file().getFileName().toString()).filter(f -> f.contains("-" + BiasFixture.CUE_TAG))
                .forEach(f -> tagged.put(f, List.of(BiasFixture.CUE_TAG)));
        heldOutTags = new ImageTags(tagged);
        biasedHeldOut = FixtureRuns.run("biased-held-out", model(true), heldOut, heldOutTruth, heldOutTags);
        unbiasedHeldOut = FixtureRuns.run("unbiased-held-out", model(false), heldOut, heldOutTruth, heldOutTags);
    }

    @Test
    void theBiasedClassIsTheMostContextReliantWithFarLessEnergyOnTheObject() {
        String label = BiasFixture.BIASED_LABEL;
        ClassInsights biasedClass = classOf(biased, label);
        ClassInsights unbiasedClass = classOf(unbiased, label);
        for (InsightsView view : List.of(biased, unbiased)) {
            for (ClassInsights c : view.classes()) {
                System.out.printf("%s %-20s in-box energy %.3f box share %.3f lift %.2f context reliance %.3f pointing %.2f"
                                + " score %.3f deletion %s insertion %s%n",
                        view.runId(), c.label(), c.inBoxEnergy(), c.boxShare(), c.lift(), c.contextReliance(),
                        c.pointingHitRate(), c.meanScore(), c.meanDeletionAuc(), c.meanInsertionAuc());
            }
        }
        assertThat(biased.reference()).isEqualTo("ground-truth");
        assertThat(biased.contextReliance().get(0)).isEqualTo(label);
        assertThat(unbiasedClass.inBoxEnergy() - biasedClass.inBoxEnergy()).isGreaterThanOrEqualTo(0.3);
        // Read against chance: the shortcut's maps avoid the object (lift below 1, context reliance at its
        // maximum), the unbiased model's put several times the chance level on it.
        assertThat(biasedClass.lift()).isLessThan(1);
        assertThat(biasedClass.contextReliance()).isEqualTo(1.0);
        assertThat(unbiasedClass.lift()).isGreaterThan(4);
        assertThat(unbiasedClass.contextReliance()).isLessThan(biasedClass.contextReliance());
        assertThat(biased.lookingAway().get(0).label()).isEqualTo(label);
        assertThat(biasedClass.meanMap()).hasSize(InsightsView.GRID * InsightsView.GRID);
        assertThat(biasedClass.meanBoxMap()).hasSize(InsightsView.BOX_GRID * InsightsView.BOX_GRID);
    }

    @Test
    void theComparisonShowsTheDifference() {
        ComparisonView comparison = Comparisons.compare(biased, unbiased,
                RunAgreement.of(biased.runId(), unbiased.runId(), "gradcam", "gradcam", java.util.List.of()), Comparisons.ENERGY);
        assertThat(comparison.shared()).isEqualTo(IMAGES);
        ComparisonView.ClassChange first = comparison.classes().get(0);
        System.out.printf("comparison %s: in-box energy %.3f -> %.3f (change %+.3f)%n", first.label(), first.inBoxEnergyA(),
                first.inBoxEnergyB(), first.energyChange());
        assertThat(first.label()).isEqualTo(BiasFixture.BIASED_LABEL);
        assertThat(first.energyChange()).isGreaterThanOrEqualTo(0.3);
        assertThat(comparison.images().get(0).a().label()).isEqualTo(BiasFixture.BIASED_LABEL);
    }

    @Test
    void theContextTestSaysTheBiasedModelReliesOnTheCueAndTheUnbiasedOneOnTheSquare() {
        String label = BiasFixture.BIASED_LABEL;
        ContextTestSummary shortcut = classOf(biased, label).contextTest();
        ContextTestSummary fair = classOf(unbiased, label).contextTest();
        System.out.println("biased model:   " + shortcut.sentence());
        System.out.println("unbiased model: " + fair.sentence());
        assertThat(shortcut.n()).isEqualTo(shortcut.fromGroundTruth()).isPositive();
        assertThat(shortcut.forwardPasses()).isEqualTo(2 * shortcut.n());
        // Blurring the cue (outside the square's box) takes the biased model's score away; blurring the square
        // does not. The unbiased model is the other way round.
        assertThat(shortcut.verdict()).isEqualTo(ContextTestSummary.RELIES_ON_CONTEXT);
        assertThat(shortcut.contextDrop().low()).isPositive();
        assertThat(shortcut.sentence()).startsWith(label + ": score falls by").contains("relies on its context")
                .contains("n = " + shortcut.n());
        assertThat(fair.verdict()).isEqualTo(ContextTestSummary.RELIES_ON_OBJECT);
        assertThat(fair.objectDrop().low()).isPositive();
        assertThat(fair.contextOverObject().high()).isNegative();
    }

    @Test
    void onADecorrelatedHeldOutSetTheCueSliceIsTheTopFinding() throws Exception {
        String label = BiasFixture.BIASED_LABEL;
        for (Finding finding : biasedHeldOut.findings()) {
            System.out.println("biased model, held-out finding: " + finding.sentence());
        }
        for (Finding finding : unbiasedHeldOut.findings()) {
            System.out.println("unbiased model, held-out finding: " + finding.sentence());
        }
        SliceInsights cue = biasedHeldOut.slices().stream()
                .filter(s -> s.tag().equals(BiasFixture.CUE_TAG) && s.label().equals(label)).findFirst().orElseThrow();
        assertThat(cue.n()).isEqualTo(HELD_OUT / 3 / 2);
        // The shortcut scores its class from the cue: far higher with it than without, and the interval says so.
        assertThat(cue.score().difference()).isGreaterThan(0.3);
        assertThat(cue.score().low()).isPositive();
        assertThat(biasedHeldOut.findings()).isNotEmpty().allSatisfy(f -> {
            assertThat(f.low() > 0 || f.high() < 0).as("no finding's interval spans zero: %s", f).isTrue();
            assertThat(f.sentence()).contains("95% CI").contains("n = ");
        });
        Finding top = biasedHeldOut.findings().stream().filter(f -> f.label().equals(label)).findFirst().orElseThrow();
        assertThat(top.sentence()).startsWith(label + ": ");
        assertThat(biasedHeldOut.findings()).anySatisfy(f -> {
            assertThat(f.kind()).isEqualTo(Finding.SLICE);
            assertThat(f.tag()).isEqualTo(BiasFixture.CUE_TAG);
            assertThat(f.sentence()).contains("in images tagged cue vs").contains("n = " + cue.n() + " / " + cue.rest());
        });
        // Findings run largest effect first.
        List<Double> effects = biasedHeldOut.findings().stream().map(f -> Math.abs(f.effect())).toList();
        assertThat(effects).isSortedAccordingTo(java.util.Comparator.reverseOrder());
        // The unbiased model's score does not depend on the cue.
        assertThat(unbiasedHeldOut.findings()).noneSatisfy(f -> {
            assertThat(f.tag()).isEqualTo(BiasFixture.CUE_TAG);
            assertThat(f.measure()).isEqualTo("score");
            assertThat(f.label()).isEqualTo(label);
        });
        assertThat(MAPPER.writeValueAsString(biasedHeldOut)).isEqualTo(MAPPER.writeValueAsString(FixtureRuns.scratch("biased-held-out")));
    }

    @Test
    void theComparisonOnTheHeldOutSetShowsTheFixedModelsMapsMovedOntoTheObject() {
        ComparisonView comparison = Comparisons.compare(biasedHeldOut, unbiasedHeldOut,
                agreement("biased-held-out", "unbiased-held-out"), Comparisons.MOVED);
        ComparisonView.ClassChange shortcut = comparison.classes().stream()
                .filter(c -> c.label().equals(BiasFixture.BIASED_LABEL)).findFirst().orElseThrow();
        System.out.printf("held-out comparison %s: paired in-box energy change %+.3f (95%% CI %.3f..%.3f, n = %d),"
                        + " paired score change %+.3f (95%% CI %.3f..%.3f), mean map correlation %.3f%n", shortcut.label(),
                shortcut.pairedEnergyChange().mean(), shortcut.pairedEnergyChange().low(), shortcut.pairedEnergyChange().high(),
                shortcut.paired(), shortcut.pairedScoreChange().mean(), shortcut.pairedScoreChange().low(),
                shortcut.pairedScoreChange().high(), shortcut.meanPearson());
        assertThat(shortcut.paired()).isEqualTo(HELD_OUT / 3);
        assertThat(shortcut.pairedEnergyChange().low()).as("the fixed model's maps moved onto the square").isPositive();
        assertThat(shortcut.pairedEnergyChange().excludesZero()).isTrue();
        // The maps that moved most come first.
        List<Double> pearsons = comparison.images().stream().map(ComparisonView.ImagePair::mapPearson).toList();
        assertThat(pearsons).doesNotContainNull().isSorted();
    }

    /** The two runs' map agreement from the maps as stored (what MapAgreements reads from S3). */
    private static RunAgreement agreement(String a, String b) {
        Map<String, SaliencyMap> mapsOfB = new java.util.HashMap<>();
        FixtureRuns.arrivals(b).forEach(arrival -> mapsOfB.put(arrival.result().result().imageId(), arrival.maps().get(0)));
        List<MapAgreement> pairs = new ArrayList<>();
        for (FixtureRuns.Arrival arrival : FixtureRuns.arrivals(a)) {
            String imageId = arrival.result().result().imageId();
            Target target = arrival.result().explanations().get(0).target();
            pairs.add(new MapAgreement(imageId, 0, target.label(),
                    MapAgreement.correlation(arrival.maps().get(0), mapsOfB.get(imageId)), null, null));
        }
        return RunAgreement.of(a, b, "gradcam", "gradcam", pairs);
    }

    @Test
    void incrementalInsightsEqualARecomputationFromScratch() throws Exception {
        // run() added the results in a shuffled arrival order; recompute in image order.
        assertThat(biased.classes()).allSatisfy(c -> {
            assertThat(c.boxShare()).isNotNull();
            assertThat(c.lift()).isNotNull();
            assertThat(c.contextReliance()).isNotNull();
        });
        assertThat(biased.images()).allSatisfy(i -> assertThat(i.contextReliance()).isNotNull());
        assertThat(MAPPER.writeValueAsString(biased)).isEqualTo(MAPPER.writeValueAsString(FixtureRuns.scratch("biased")));
    }

    private static LoadedModel model(boolean biased) {
        Path dir = DIR.resolve(biased ? "biased-model" : "unbiased-model");
        if (!Files.isRegularFile(dir.resolve("lumen-model.json"))) {
            long start = System.nanoTime();
            BiasFixture.buildModel(dir, biased ? 11 : 12, biased);
            System.out.printf("trained the %s model in %.1f s%n", biased ? "biased" : "unbiased", (System.nanoTime() - start) / 1e9);
        }
        return LoadedModel.load(dir);
    }

    private static ClassInsights classOf(InsightsView view, String label) {
        return view.classes().stream().filter(c -> c.label().equals(label)).findFirst().orElseThrow();
    }

}
