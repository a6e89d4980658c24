package dev.lumen.explainer.evaluation;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.lumen.catalogue.Task;
import dev.lumen.explainer.ImageObject;
import dev.lumen.explainer.Prediction;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The matching against hand-computed matches on a small COCO file ({@code evaluation/ground-truth.json})
 * and detections or labels in COCO's results format ({@code evaluation/predictions.json}), read as the
 * worker gets them: ground-truth objects with category names, predictions in reported order.
 */
class EvaluationsTest {

    private static final List<String> LABELS = List.of("cat", "dog", "bird");
    private static final Map<Long, List<ImageObject>> GROUND_TRUTH = new HashMap<>();
    private static final Map<Long, List<Prediction>> PREDICTIONS = new HashMap<>();

    @BeforeAll
    static void readCoco() throws IOException {
        ObjectMapper mapper = new ObjectMapper();
        JsonNode truth = read(mapper, "ground-truth.json");
        Map<Long, String> names = new HashMap<>();
        truth.get("categories").forEach(c -> names.put(c.get("id").asLong(), c.get("name").asText()));
        for (JsonNode a : truth.get("annotations")) {
            GROUND_TRUTH.computeIfAbsent(a.get("image_id").asLong(), i -> new ArrayList<>())
                    .add(new ImageObject(box(a.get("bbox")), names.get(a.get("category_id").asLong())));
        }
        for (JsonNode p : read(mapper, "predictions.json")) {
            String label = names.get(p.get("category_id").asLong());
            PREDICTIONS.computeIfAbsent(p.get("image_id").asLong(), i -> new ArrayList<>()).add(new Prediction(
                    p.has("bbox") ? "detection" : "class", label, LABELS.indexOf(label), p.get("score").asDouble(),
                    p.has("bbox") ? box(p.get("bbox")) : null));
        }
    }

    @Test
    void detectionsGetEveryErrorTypeAndUnmatchedObjectsAreMissed() {
        Evaluation evaluation = evaluate(Task.DETECTION, 1);
        List<PredictionMatch> m = evaluation.matches();
        assertThat(m).extracting(PredictionMatch::prediction).containsExactly(0, 1, 2, 3, 4);
        // 0: cat 0.8 at [5,5,105,105] overlaps cat A [0,0,100,100] by 95*95 / (2*100^2 - 95^2) = 0.822, but
        //    the better-scored cat 1 (listed after it) takes A first: a duplicate.
        assertThat(m.get(0).type()).isEqualTo(MatchType.DUPLICATE);
        assertThat(m.get(0).iou()).isCloseTo(9025.0 / 10975, within(1e-9));
        // 1: cat 0.9 exactly on cat A: IoU 1, a true positive.
        assertThat(m.get(1).type()).isEqualTo(MatchType.TRUE_POSITIVE);
        assertThat(m.get(1).iou()).isEqualTo(1.0);
        // 2: cat 0.7 exactly on dog B, no cat there: class confusion, the true label dog.
        assertThat(m.get(2)).isEqualTo(new PredictionMatch(2, MatchType.CLASS_CONFUSION, "dog", 1.0));
        // 3: cat 0.6 at [0,250,100,350] against cat C [0,200,100,300]: 100*50 / (2*100^2 - 5000) = 1/3,
        //    in [0.1, 0.5): a localisation error.
        assertThat(m.get(3).type()).isEqualTo(MatchType.LOCALISATION);
        assertThat(m.get(3).iou()).isCloseTo(1.0 / 3, within(1e-9));
        // 4: dog 0.5 at [400,400,450,450] overlaps nothing: background, IoU 0.
        assertThat(m.get(4)).isEqualTo(new PredictionMatch(4, MatchType.BACKGROUND, null, 0.0));
        // Missed: dog B (only class-confused), cat C (only badly localised), dog D (no detection near it);
        // cat A is matched. In ground-truth order, with the label's index among the model's labels.
        assertThat(evaluation.missed()).extracting(MissedObject::label, MissedObject::index)
                .containsExactly(org.assertj.core.groups.Tuple.tuple("dog", 1), org.assertj.core.groups.Tuple.tuple("cat", 0),
                        org.assertj.core.groups.Tuple.tuple("dog", 1));
        assertThat(evaluation.missed().get(2).box()).containsExactly(200, 200, 300, 300);
    }

    @Test
    void aClassifierIsJudgedOnItsTopClass() {
        // Image 2: top class dog, ground truth cat: wrong, the true label cat, which is not missed on top
        // (it is the wrong prediction's true label). The runners-up are not claims and get no match.
        Evaluation wrong = evaluate(Task.CLASSIFICATION, 2);
        assertThat(wrong.matches()).containsExactly(new PredictionMatch(0, MatchType.WRONG, "cat", null));
        assertThat(wrong.missed()).isEmpty();
        // Image 3: top class cat, ground truth cat: correct.
        Evaluation right = evaluate(Task.CLASSIFICATION, 3);
        assertThat(right.matches()).containsExactly(new PredictionMatch(0, MatchType.CORRECT, null, null));
        assertThat(right.missed()).isEmpty();
    }

    @Test
    void aTaggerIsJudgedOnEachTagAndMissesTheTagsItDidNotPredict() {
        // Image 4: tags cat and dog predicted, ground truth cat and bird: cat correct, dog wrong (a tag has no
        // single true label), bird missed.
        Evaluation evaluation = evaluate(Task.MULTILABEL, 4);
        assertThat(evaluation.matches()).containsExactly(new PredictionMatch(0, MatchType.CORRECT, null, null),
                new PredictionMatch(1, MatchType.WRONG, null, null));
        assertThat(evaluation.missed()).containsExactly(new MissedObject("bird", 2, null));
    }

    @Test
    void noGroundTruthOrAnAttributeModelGivesNoEvaluation() {
        assertThat(Evaluations.of(Task.DETECTION, LABELS, PREDICTIONS.get(1L), List.of())).isNull();
        assertThat(Evaluations.of(Task.ATTRIBUTES, LABELS, PREDICTIONS.get(3L), GROUND_TRUTH.get(3L))).isNull();
    }

    private static Evaluation evaluate(Task task, long image) {
        return Evaluations.of(task, LABELS, PREDICTIONS.get(image), GROUND_TRUTH.get(image));
    }

    private static JsonNode read(ObjectMapper mapper, String name) throws IOException {
        try (InputStream in = EvaluationsTest.class.getResourceAsStream("/evaluation/" + name)) {
            return mapper.readTree(in);
        }
    }

    /** COCO's {@code [x, y, width, height]} as {@code x1, y1, x2, y2}. */
    private static double[] box(JsonNode bbox) {
        double x = bbox.get(0).asDouble();
        double y = bbox.get(1).asDouble();
        return new double[] {x, y, x + bbox.get(2).asDouble(), y + bbox.get(3).asDouble()};
    }
}
