package dev.lumen.results.insights;

import dev.lumen.contracts.Evaluation;
import dev.lumen.contracts.ImageResult;
import dev.lumen.contracts.MissedObject;
import dev.lumen.contracts.ModelRef;
import dev.lumen.contracts.Outcome;
import dev.lumen.contracts.PredictionMatch;
import dev.lumen.contracts.Target;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.entry;

/** Error counts folded one image at a time: by hand on a tagger, and independent of the order images arrive in. */
class ErrorSumsTest {

    @Test
    void countsATaggersLabelsByHand() {
        ErrorSums sums = new ErrorSums();
        // x shows a cat and a cup: "cat" correct, "dog" wrong (the cup it should have been), the cup missed.
        sums.add(image("x", List.of(tag("cat"), tag("dog")), new Evaluation(List.of(
                new PredictionMatch(0, "correct", null, null), new PredictionMatch(1, "wrong", "cup", null)),
                List.of(new MissedObject("cup", 3, null)))));
        sums.add(image("y", List.of(tag("dog")), new Evaluation(List.of(new PredictionMatch(0, "correct", null, null)), List.of())));
        sums.add(image("z", List.of(tag("cat")), null));
        ErrorInsights view = sums.view();
        assertThat(view.evaluated()).isEqualTo(2);
        assertThat(view.types()).containsExactly("correct", "wrong", "missed");
        assertThat(view.totals()).containsExactly(entry("correct", 2), entry("wrong", 1), entry("missed", 1));
        assertThat(view.images()).containsExactly(entry("correct", 2), entry("wrong", 1), entry("missed", 1));
        assertThat(view.classes()).extracting(ClassErrors::label).containsExactly("cat", "cup", "dog");
        ClassErrors dog = view.classes().get(2);
        assertThat(dog.counts()).containsExactly(entry("correct", 1), entry("wrong", 1), entry("missed", 0));
        assertThat(List.of(dog.predictions(), dog.precision(), dog.recall())).containsExactly(2, 0.5, 1.0);
        ClassErrors cup = view.classes().get(1);
        assertThat(cup.precision()).isNull();
        assertThat(cup.recall()).isEqualTo(0.0);
        assertThat(view.confusions()).containsExactly(new Confusion("dog", "cup", 1));
    }

    @Test
    void noEvaluationNoCounts() {
        ErrorSums sums = new ErrorSums();
        sums.add(image("a", List.of(tag("cat")), null));
        assertThat(sums.view()).isNull();
    }

    @Test
    void theCountsDoNotDependOnTheOrderImagesArriveIn() {
        List<ImageResult> images = new ArrayList<>();
        Random random = new Random(17);
        String[] labels = {"cat", "dog", "cup", "car"};
        String[] types = {"true-positive", "background", "localisation", "duplicate", "class-confusion"};
        for (int i = 0; i < 40; i++) {
            List<Target> predictions = new ArrayList<>();
            List<PredictionMatch> matches = new ArrayList<>();
            for (int p = 0; p < 1 + random.nextInt(4); p++) {
                predictions.add(new Target("detection", labels[random.nextInt(4)], 0, 0.5, List.of(0.0, 0.0, 5.0, 5.0)));
                String type = types[random.nextInt(types.length)];
                matches.add(new PredictionMatch(p, type, type.equals("class-confusion") ? labels[random.nextInt(4)] : null, 0.5));
            }
            List<MissedObject> missed = random.nextBoolean() ? List.of()
                    : List.of(new MissedObject(labels[random.nextInt(4)], 0, List.of(1.0, 1.0, 4.0, 4.0)));
            images.add(image("i" + i, predictions, new Evaluation(matches, missed)));
        }
        ErrorSums inOrder = new ErrorSums();
        images.forEach(inOrder::add);
        List<ImageResult> shuffled = new ArrayList<>(images);
        Collections.shuffle(shuffled, new Random(3));
        ErrorSums reordered = new ErrorSums();
        shuffled.forEach(reordered::add);
        ErrorInsights view = inOrder.view();
        assertThat(reordered.view()).isEqualTo(view);
        assertThat(view.types()).isEqualTo(ErrorTypes.DETECTION);
        int predictions = images.stream().mapToInt(r -> r.predictions().size()).sum();
        assertThat(view.classes().stream().mapToInt(ClassErrors::predictions).sum()).isEqualTo(predictions);
        assertThat(view.totals().values().stream().mapToInt(Integer::intValue).sum() - view.totals().get("missed"))
                .isEqualTo(predictions);
    }

    private static Target tag(String label) {
        return new Target("class", label, 0, 0.8, null);
    }

    private static ImageResult image(String id, List<Target> predictions, Evaluation evaluation) {
        return ImageResult.builder().runId("run").tenant("t").imageId(id).imageKey("k/" + id).imageTotal(40)
                .outcome(Outcome.EXPLAINED).method("gradcam").model(new ModelRef("m")).predictions(predictions)
                .evaluation(evaluation).build();
    }
}
