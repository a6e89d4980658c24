package dev.lumen.explainer.metric;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.lumen.explainer.model.InputGeometry;
import dev.lumen.explainer.model.ModelInput;
import dev.lumen.render.SaliencyMap;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Deletion and insertion against a fake model whose score is the share of a bright 2x2 patch that
 * is intact: an exact map must find it first.
 */
class DeletionInsertionTest {

    private static final int SIZE = 8;

    private static ModelInput inputWithPatch() {
        float[] pixels = new float[SIZE * SIZE * 3];
        for (int y = 2; y < 4; y++) {
            for (int x = 5; x < 7; x++) {
                for (int c = 0; c < 3; c++) {
                    pixels[(y * SIZE + x) * 3 + c] = 255;
                }
            }
        }
        return new ModelInput(pixels, SIZE, SIZE, new InputGeometry(SIZE, SIZE, SIZE, SIZE, 0, 0, SIZE, SIZE));
    }

    /** Share of the patch's pixels that are still fully bright. */
    private static double[] patchScore(List<ModelInput> inputs) {
        double[] scores = new double[inputs.size()];
        for (int i = 0; i < scores.length; i++) {
            float[] p = inputs.get(i).pixels();
            int intact = 0;
            for (int y = 2; y < 4; y++) {
                for (int x = 5; x < 7; x++) {
                    intact += p[(y * SIZE + x) * 3] == 255 ? 1 : 0;
                }
            }
            scores[i] = intact / 4.0;
        }
        return scores;
    }

    @Test
    void anExactMapDeletesTheEvidenceFirstAndRevealsItFirst() {
        float[] exact = new float[SIZE * SIZE];
        for (int y = 2; y < 4; y++) {
            for (int x = 5; x < 7; x++) {
                exact[y * SIZE + x] = 1;
            }
        }
        List<Integer> batchSizes = new ArrayList<>();
        Faithfulness faithfulness = new DeletionInsertion(16, 5).evaluate(inputWithPatch(),
                new SaliencyMap(exact, SIZE, SIZE), inputs -> {
                    batchSizes.add(inputs.size());
                    return patchScore(inputs);
                });
        // Step 1 of 16 already touches round(64/16) = 4 pixels: the whole patch. The curves are
        // 1,0,0,... and 0,1,1,...: trapezoids give 0.5/16 and 1 - 0.5/16.
        assertThat(faithfulness.deletionAuc()).isCloseTo(0.5 / 16, within(1e-9));
        assertThat(faithfulness.insertionAuc()).isCloseTo(1 - 0.5 / 16, within(1e-9));
        assertThat(faithfulness.forwardPasses()).isEqualTo(34);
        assertThat(batchSizes).allMatch(size -> size <= 5);
        assertThat(batchSizes.stream().mapToInt(Integer::intValue).sum()).isEqualTo(34);
    }

    @Test
    void aMapPointingElsewhereScoresWorse() {
        float[] wrong = new float[SIZE * SIZE];
        wrong[0] = 1;
        Faithfulness faithfulness = new DeletionInsertion(16, 32).evaluate(inputWithPatch(),
                new SaliencyMap(wrong, SIZE, SIZE), DeletionInsertionTest::patchScore);
        assertThat(faithfulness.deletionAuc()).isGreaterThan(0.3);
        assertThat(faithfulness.insertionAuc()).isLessThan(0.7);
    }

    @Test
    void onlyImageContentIsPerturbedNeverThePadding() {
        // Letterboxed 8x4 content in rows 2..5; padding rows hold 7, content 100.
        float[] pixels = new float[SIZE * SIZE * 3];
        for (int y = 0; y < SIZE; y++) {
            for (int i = 0; i < SIZE * 3; i++) {
                pixels[y * SIZE * 3 + i] = y >= 2 && y < 6 ? 100 : 7;
            }
        }
        ModelInput letterboxed = new ModelInput(pixels, SIZE, SIZE, new InputGeometry(8, 4, SIZE, SIZE, 0, 2, SIZE, 4));
        List<List<ModelInput>> calls = new ArrayList<>();
        new DeletionInsertion(4, 32).evaluate(letterboxed, SaliencyMap.zeros(SIZE, SIZE), inputs -> {
            calls.add(List.copyOf(inputs));
            return new double[inputs.size()];
        });
        assertThat(calls).hasSize(2);
        List<ModelInput> deletion = calls.get(0);
        float[] fullyDeleted = deletion.get(deletion.size() - 1).pixels();
        float[] fullyInserted = calls.get(1).get(calls.get(1).size() - 1).pixels();
        for (int y = 0; y < SIZE; y++) {
            for (int i = 0; i < SIZE * 3; i++) {
                int p = y * SIZE * 3 + i;
                if (y >= 2 && y < 6) {
                    assertThat(fullyDeleted[p]).isZero();
                    assertThat(fullyInserted[p]).isEqualTo(100f);
                } else {
                    assertThat(fullyDeleted[p]).isEqualTo(7f);
                    // Insertion starts from the blurred image and never copies into the padding.
                    assertThat(fullyInserted[p]).isNotEqualTo(7f);
                }
            }
        }
    }
}
