package dev.lumen.explainer.targets;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.lumen.explainer.Prediction;
import dev.lumen.catalogue.Task;
import java.util.List;
import org.junit.jupiter.api.Test;

class ClassTargetSelectorTest {

    private static final List<String> LABELS = List.of("a", "b", "c");

    @Test
    void classifiersExplainTheirTopClassAboveTheThreshold() {
        ClassTargetSelector selector = new ClassTargetSelector(Task.CLASSIFICATION, LABELS, 0.5);
        TargetSelection<float[]> selection = selector.select(new float[] {0.2f, 0.7f, 0.1f}, null, null);
        assertThat(selection.predictions()).extracting(Prediction::label).containsExactly("b", "a", "c");
        assertThat(selection.targets()).extracting(t -> t.prediction().label()).containsExactly("b");
        assertThat(selection.targets().get(0).gradientSeed(3)).hasValueSatisfying(seed -> assertThat(seed).containsExactly(0, 1, 0));
        assertThat(selection.skippedReason()).isNull();

        TargetSelection<float[]> unsure = selector.select(new float[] {0.4f, 0.3f, 0.3f}, null, null);
        assertThat(unsure.targets()).isEmpty();
        assertThat(unsure.skippedReason()).isEqualTo("no prediction above 0.5");
    }

    @Test
    void multilabelModelsExplainEveryTagAboveTheThreshold() {
        ClassTargetSelector selector = new ClassTargetSelector(Task.MULTILABEL, LABELS, 0.5);
        TargetSelection<float[]> selection = selector.select(new float[] {0.9f, 0.2f, 0.6f}, null, null);
        assertThat(selection.targets()).extracting(t -> t.prediction().label()).containsExactly("a", "c");
        assertThat(selection.predictions()).extracting(Prediction::kind).containsOnly("tag");
    }

    @Test
    void aChosenClassIsExplainedEvenBelowTheThreshold() {
        ClassTargetSelector selector = new ClassTargetSelector(Task.CLASSIFICATION, LABELS, 0.5);
        int chosen = selector.resolve("c");
        TargetSelection<float[]> selection = selector.select(new float[] {0.2f, 0.7f, 0.1f}, chosen, null);
        assertThat(selection.targets()).extracting(t -> t.prediction().label()).containsExactly("c");
        assertThat(selector.resolve(1)).isEqualTo(1);
        assertThat(selector.resolve("2")).isEqualTo(2);
        assertThatThrownBy(() -> selector.resolve(3)).hasMessageContaining("outside 0..2");
        assertThatThrownBy(() -> selector.resolve("z")).hasMessageContaining("labels: a, b, c");
    }
}
