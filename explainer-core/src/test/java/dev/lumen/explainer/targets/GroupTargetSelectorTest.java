package dev.lumen.explainer.targets;

import static org.assertj.core.api.Assertions.assertThat;

import dev.lumen.explainer.Prediction;
import dev.lumen.explainer.model.AttributeGroup;
import dev.lumen.explainer.model.AttributeGroup.Decoder;
import java.util.List;
import org.junit.jupiter.api.Test;

class GroupTargetSelectorTest {

    private static final List<AttributeGroup> GROUPS = List.of(
            new AttributeGroup("gender", "gender", Decoder.SOFTMAX, List.of("male", "female")),
            new AttributeGroup("age", "age", Decoder.SOFTMAX, List.of("young", "middle", "old")),
            new AttributeGroup("wears", "wears", Decoder.SIGMOID, List.of("glasses", "hat")));

    @Test
    void eachSoftmaxGroupExplainsItsTopValueAndSigmoidGroupsThoseAboveTheThreshold() {
        GroupTargetSelector selector = new GroupTargetSelector(GROUPS, 0.5);
        float[] scores = {0.3f, 0.7f, 0.2f, 0.35f, 0.45f, 0.9f, 0.1f};
        TargetSelection<float[]> selection = selector.select(scores, null, null);
        assertThat(selection.predictions()).extracting(Prediction::label)
                .containsExactly("gender: female", "age: old", "wears: glasses");
        assertThat(selection.predictions()).extracting(Prediction::group).containsExactly("gender", "age", "wears");
        assertThat(selection.targets()).extracting(t -> t.prediction().index()).containsExactly(1, 4, 5);
        Target<float[]> age = selection.targets().get(1);
        assertThat(age.gradientRole("ignored")).isEqualTo("age");
        assertThat(age.gradientSeed(3)).hasValueSatisfying(seed -> assertThat(seed).containsExactly(0, 0, 1));
        assertThat(age.score(scores)).isEqualTo(0.45f, org.assertj.core.data.Offset.offset(1e-6));
        assertThat(selection.skippedReason()).isNull();
    }

    @Test
    void aChosenValueIsExplainedAloneWhateverItsScore() {
        TargetSelection<float[]> selection = new GroupTargetSelector(GROUPS, 0.5)
                .select(new float[] {0.3f, 0.7f, 0.2f, 0.35f, 0.45f, 0.9f, 0.1f}, 2, null);
        assertThat(selection.targets()).extracting(t -> t.prediction().label()).containsExactly("age: young");
        assertThat(selection.targets().get(0).gradientSeed(3)).hasValueSatisfying(seed -> assertThat(seed).containsExactly(1, 0, 0));
    }
}
