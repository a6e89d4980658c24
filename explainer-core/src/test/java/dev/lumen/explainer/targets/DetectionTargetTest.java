package dev.lumen.explainer.targets;

import static org.assertj.core.api.Assertions.assertThat;

import dev.lumen.explainer.Prediction;
import dev.lumen.explainer.detection.Detection;
import dev.lumen.explainer.detection.Proposals;
import java.util.List;
import org.junit.jupiter.api.Test;

class DetectionTargetTest {

    private static final double[] BOX = {0, 0, 4, 4};
    private static final float[] CLASS_VECTOR = {1, 0};

    @Test
    void masksDecideTheLocalisationWhenBothHaveThem() {
        DetectionTarget target = target(mask(0, 2));
        Detection sameBoxOtherPixels = new Detection(BOX, 0.9, 0, CLASS_VECTOR, mask(2, 4));
        Detection sameBoxHalfThePixels = new Detection(BOX, 0.9, 0, CLASS_VECTOR, mask(0, 1));

        assertThat(target.similarity(Proposals.of(List.of(sameBoxOtherPixels)))).isZero();
        assertThat(target.similarity(Proposals.of(List.of(sameBoxHalfThePixels)))).isCloseTo(0.45, org.assertj.core.data.Offset.offset(1e-9));
    }

    @Test
    void boxesDecideWithoutMasks() {
        DetectionTarget target = target(null);
        assertThat(target.similarity(Proposals.of(List.of(new Detection(BOX, 0.9, 0, CLASS_VECTOR, mask(2, 4))))))
                .isCloseTo(0.9, org.assertj.core.data.Offset.offset(1e-9));
    }

    private static DetectionTarget target(float[] mask) {
        return new DetectionTarget(new Prediction("detection", "a", 0, 1, BOX), new Detection(BOX, 1, 0, CLASS_VECTOR, mask));
    }

    /** A 4x4 input mask with rows {@code from..to-1} set. */
    private static float[] mask(int from, int to) {
        float[] mask = new float[16];
        for (int i = from * 4; i < to * 4; i++) {
            mask[i] = 1;
        }
        return mask;
    }
}
