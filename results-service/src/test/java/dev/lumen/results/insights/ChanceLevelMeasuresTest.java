package dev.lumen.results.insights;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.lumen.contracts.ImageResult;
import dev.lumen.contracts.MapGrid;
import dev.lumen.contracts.ModelRef;
import dev.lumen.contracts.Outcome;
import dev.lumen.contracts.Target;
import dev.lumen.render.SaliencyMap;
import dev.lumen.results.storage.StoredResult;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

/**
 * In-box energy read against its chance level (decision 0046): the box's share of the map, the lift
 * {@code energy / share} and context reliance {@code (1 - energy) / (1 - share)} clamped to [0, 1], per
 * target and per class (ratios of the class's sums), on maps whose values are known, checked against
 * hand-computed numbers.
 */
class ChanceLevelMeasuresTest {

    private static final ObjectMapper MAPPER = new ObjectMapper();
    private static final double EPS = 1e-9;

    /** 40x20 image, 8x4 map (one cell = 5x5 pixels). Ground truth: cat at cells x 0..1, y 0..1 of a.png. */
    private static final String COCO = """
            {"images":[{"id":1,"file_name":"a.png"},{"id":2,"file_name":"b.png"},{"id":3,"file_name":"c.png"},
                       {"id":4,"file_name":"d.png"},{"id":5,"file_name":"e.png"}],
             "annotations":[{"id":1,"image_id":1,"category_id":1,"bbox":[0,0,10,10]},
                            {"id":2,"image_id":2,"category_id":1,"bbox":[0,0,20,10]},
                            {"id":3,"image_id":3,"category_id":2,"bbox":[10,5,20,10]},
                            {"id":4,"image_id":4,"category_id":2,"bbox":[10,5,20,10]},
                            {"id":5,"image_id":5,"category_id":3,"bbox":[0,0,40,20]}],
             "categories":[{"id":1,"name":"cat"},{"id":2,"name":"dog"},{"id":3,"name":"sky"}]}""";
    private static final GroundTruth TRUTH = GroundTruth.parse(COCO.getBytes(StandardCharsets.UTF_8), MAPPER);

    @Test
    void anEvenlySpreadMapHasLiftOneAndContextRelianceOne() {
        ImageInsight even = measure("c.png", "dog", map(8, 4, (x, y) -> 1f));
        // dog box: cells x 2..5, y 1..2 -> 8 of 32 cells.
        assertThat(even.boxShare()).isCloseTo(0.25, within(EPS));
        assertThat(even.inBoxEnergy()).isCloseTo(0.25, within(EPS));
        assertThat(even.lift()).isCloseTo(1, within(EPS));
        assertThat(even.contextReliance()).isCloseTo(1, within(EPS));
    }

    @Test
    void aMapInsideTheBoxHasContextRelianceZero() {
        ImageInsight inside = measure("c.png", "dog", map(8, 4, (x, y) -> x >= 2 && x < 6 && y >= 1 && y < 3 ? 0.5f + x : 0f));
        assertThat(inside.inBoxEnergy()).isCloseTo(1, within(EPS));
        assertThat(inside.contextReliance()).isCloseTo(0, within(EPS));
        assertThat(inside.lift()).isCloseTo(4, within(EPS));
        // Nearly inside: 1% of the energy outside reads about 1.3 % context reliance (0.01 / 0.75).
        ImageInsight almost = measure("c.png", "dog", map(8, 4, (x, y) -> x >= 2 && x < 6 && y >= 1 && y < 3 ? 99f / 8
                : 1f / 24));
        assertThat(almost.inBoxEnergy()).isCloseTo(0.99, within(1e-6));
        assertThat(almost.contextReliance()).isCloseTo(0.01 / 0.75, within(1e-6));
    }

    @Test
    void aMapLookingAwayReadsOneAndItsLiftBelowOneSaysByHowMuch() {
        ImageInsight away = measure("c.png", "dog", map(8, 4, (x, y) -> x == 7 && y == 3 ? 1f : 0f));
        assertThat(away.inBoxEnergy()).isZero();
        assertThat(away.lift()).isZero();
        assertThat(away.contextReliance()).isEqualTo(1.0);
        assertThat(away.pointingHit()).isFalse();
    }

    @Test
    void aBoxCoveringTheWholeMapHasNoContextReliance() {
        ImageInsight sky = measure("e.png", "sky", map(8, 4, (x, y) -> x + 1f));
        assertThat(sky.boxShare()).isEqualTo(1.0);
        assertThat(sky.lift()).isCloseTo(1, within(EPS));
        assertThat(sky.contextReliance()).isNull();
    }

    @Test
    void handComputedTargetsAndClassesRankedByContextReliance() throws Exception {
        List<Arrival> arrivals = new ArrayList<>();
        // a.png, cat box = cells x 0..1, y 0..1: 4 of 32 cells (share 0.125). Inside 4 cells of 7, outside
        // 28 cells of 1: energy 28 / 56 = 0.5, lift 4, context reliance 0.5 / 0.875 = 4/7.
        arrivals.add(arrival("a.png", "cat", map(8, 4, (x, y) -> x < 2 && y < 2 ? 7f : 1f)));
        // b.png, cat box = cells x 0..3, y 0..1: 8 of 32 (share 0.25), every value inside: energy 1, lift 4,
        // context reliance 0.
        arrivals.add(arrival("b.png", "cat", map(8, 4, (x, y) -> x < 4 && y < 2 ? 3f : 0f)));
        // c.png, d.png: dog, share 0.25 each; c evenly spread (energy 0.25), d: inside 8 cells of 2, outside
        // 24 of 1 -> energy 16 / 40 = 0.4, lift 1.6, context reliance 0.6 / 0.75 = 0.8.
        arrivals.add(arrival("c.png", "dog", map(8, 4, (x, y) -> 1f)));
        arrivals.add(arrival("d.png", "dog", map(8, 4, (x, y) -> x >= 2 && x < 6 && y >= 1 && y < 3 ? 2f : 1f)));
        // e.png: sky, the box is the whole image: energy 1, share 1, no context reliance.
        arrivals.add(arrival("e.png", "sky", map(8, 4, (x, y) -> 1f)));

        ImageInsight a = arrivals.get(0).measures().get(0).insight();
        assertThat(a.boxShare()).isCloseTo(0.125, within(EPS));
        assertThat(a.inBoxEnergy()).isCloseTo(0.5, within(EPS));
        assertThat(a.lift()).isCloseTo(4, within(EPS));
        assertThat(a.contextReliance()).isCloseTo(4.0 / 7, within(EPS));
        ImageInsight d = arrivals.get(3).measures().get(0).insight();
        assertThat(d.inBoxEnergy()).isCloseTo(0.4, within(EPS));
        assertThat(d.lift()).isCloseTo(1.6, within(EPS));
        assertThat(d.contextReliance()).isCloseTo(0.8, within(EPS));

        InsightsView view = accumulate(arrivals, new Random(5));
        // cat: mean energy 0.75, mean share 0.1875, lift 4, context reliance (2 - 1.5) / (2 - 0.375) = 0.307692.
        ClassInsights cat = classOf(view, "cat");
        assertThat(cat.inBoxEnergy()).isEqualTo(0.75);
        assertThat(cat.boxShare()).isEqualTo(0.1875);
        assertThat(cat.lift()).isEqualTo(4.0);
        assertThat(cat.contextReliance()).isEqualTo(0.307692);
        // dog: mean energy 0.325, share 0.25, lift 1.3, context reliance (2 - 0.65) / 1.5 = 0.9.
        ClassInsights dog = classOf(view, "dog");
        assertThat(dog.inBoxEnergy()).isEqualTo(0.325);
        assertThat(dog.boxShare()).isEqualTo(0.25);
        assertThat(dog.lift()).isEqualTo(1.3);
        assertThat(dog.contextReliance()).isEqualTo(0.9);
        ClassInsights sky = classOf(view, "sky");
        assertThat(sky.lift()).isEqualTo(1.0);
        assertThat(sky.contextReliance()).isNull();
        // Ranked by context reliance, most reliant first; a class without one is not ranked.
        assertThat(view.contextReliance()).containsExactly("dog", "cat");
        // The gallery: highest context reliance first, ties by lowest lift.
        assertThat(view.lookingAway()).extracting(ImageInsight::imageId).containsExactly("c.png", "d.png", "a.png", "b.png");

        // Incremental in any order equals a recomputation, new measures included.
        for (int seed = 0; seed < 5; seed++) {
            assertThat(MAPPER.writeValueAsString(accumulate(arrivals, new Random(seed))))
                    .isEqualTo(MAPPER.writeValueAsString(view));
        }
    }

    private record Arrival(StoredResult result, List<TargetMeasure> measures) {
    }

    @Test
    void aMapOnTheObjectsLayerCellsReadsNearZeroAtTheLayersResolutionWhateverTheUpsamplingSpreads() {
        // A 10x5 layer over the 40x20 image (4x4-pixel cells). The dog box [10,5,30,15] covers at least half
        // of cells x 2..7, y 1..3 except the four corners (6 x 3 - 4 = 14 of 50 cells).
        Cell onObject = (x, y) -> x >= 2 && x <= 7 && y >= 1 && y <= 3 && !((x == 2 || x == 7) && (y == 1 || y == 3))
                ? 1f : 0f;
        SaliencyMap shown = map(10, 5, onObject).resize(40, 20);
        MapGrid grid = new MapGrid(0, 0, 4, 4);
        ImageInsight onPixels = measure("c.png", "dog", shown, null);
        ImageInsight onLayer = measure("c.png", "dog", shown, grid);
        System.out.printf("on the object's layer cells: context reliance %.3f on the image's pixels, %.3f on the layer"
                + " (in-box energy %.3f / %.3f, box share %.3f / %.3f)%n", onPixels.contextReliance(),
                onLayer.contextReliance(), onPixels.inBoxEnergy(), onLayer.inBoxEnergy(), onPixels.boxShare(),
                onLayer.boxShare());
        assertThat(onLayer.boxShare()).isCloseTo(14 / 50.0, within(EPS));
        assertThat(onLayer.contextReliance()).isLessThan(0.15);
        assertThat(onPixels.contextReliance()).isGreaterThan(onLayer.contextReliance() + 0.1);

        // At the layer's resolution an evenly spread map still reads chance, and one off the object 1.
        ImageInsight even = measure("c.png", "dog", map(10, 5, (x, y) -> 1f).resize(40, 20), grid);
        assertThat(even.inBoxEnergy()).isCloseTo(even.boxShare(), within(1e-6));
        assertThat(even.contextReliance()).isCloseTo(1, within(1e-6));
        ImageInsight away = measure("c.png", "dog", map(10, 5, (x, y) -> x == 9 ? 1f : 0f).resize(40, 20), grid);
        assertThat(away.contextReliance()).isEqualTo(1.0);
    }

    @Test
    void aBoxSmallerThanHalfACellCountsTheCellItCoversMost() {
        // The cat box [0,0,10,10] on 16x16-pixel cells covers 100/256 of cell (0, 0), less than half: that cell
        // counts, one of the 2 cells whose centre lies over the 40x20 image (centres at x 8 and 24, y 8).
        SaliencyMap shown = map(40, 20, (x, y) -> x < 16 && y < 16 ? 1f : 0f);
        ImageInsight insight = measure("a.png", "cat", shown, new MapGrid(0, 0, 16, 16));
        assertThat(insight.boxShare()).isCloseTo(1 / 2.0, within(EPS));
        assertThat(insight.inBoxEnergy()).isCloseTo(1, within(EPS));
    }

    @FunctionalInterface
    private interface Cell {
        float value(int x, int y);
    }

    private static SaliencyMap map(int width, int height, Cell cell) {
        float[] values = new float[width * height];
        for (int y = 0; y < height; y++) {
            for (int x = 0; x < width; x++) {
                values[y * width + x] = cell.value(x, y);
            }
        }
        return new SaliencyMap(values, width, height);
    }

    private static ImageInsight measure(String imageId, String label, SaliencyMap map) {
        return measure(imageId, label, map, null);
    }

    private static ImageInsight measure(String imageId, String label, SaliencyMap map, MapGrid grid) {
        return arrival(imageId, label, map, grid).measures().get(0).insight();
    }

    private static Arrival arrival(String imageId, String label, SaliencyMap map) {
        return arrival(imageId, label, map, null);
    }

    private static Arrival arrival(String imageId, String label, SaliencyMap map, MapGrid grid) {
        Target target = new Target("class", label, 0, 0.9, null);
        ImageResult result = ImageResult.builder().runId("run-chance").tenant("default").imageId(imageId)
                .imageKey("datasets/chance/images/" + imageId).imageTotal(5).outcome(Outcome.EXPLAINED)
                .size(40, 20).method("gradcam").model(new ModelRef("m")).predictions(List.of(target)).worker("test")
                .build();
        StoredResult stored = StoredResult.of(result, List.of(new StoredResult.StoredExplanation(target, null,
                "saliency-0.png", "heatmap-0.png", "overlay-0.png", grid)));
        return new Arrival(stored, InsightsCalculator.measure(stored, List.of(map), TRUTH));
    }

    private static InsightsView accumulate(List<Arrival> arrivals, Random order) {
        List<Arrival> shuffled = new ArrayList<>(arrivals);
        Collections.shuffle(shuffled, order);
        InsightsAccumulator accumulator = new InsightsAccumulator("run-chance", TRUTH);
        for (Arrival arrival : shuffled) {
            accumulator.add(arrival.result(), arrival.measures());
        }
        return accumulator.snapshot();
    }

    private static ClassInsights classOf(InsightsView view, String label) {
        return view.classes().stream().filter(c -> c.label().equals(label)).findFirst().orElseThrow(
                () -> new AssertionError("no class " + label + " in " + Arrays.toString(view.classes().toArray())));
    }
}
