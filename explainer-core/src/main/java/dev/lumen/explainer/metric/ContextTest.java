package dev.lumen.explainer.metric;

import dev.lumen.explainer.model.InputGeometry;
import dev.lumen.explainer.model.ModelInput;

import java.util.List;

/**
 * The context test of one target: its score on the input with everything outside its reference box(es)
 * blurred away (does the object alone carry the score?), and with the box(es) themselves blurred away
 * (does the context alone?). The blur is the insertion metric's ({@link DeletionInsertion#blurred}), so
 * the removed part keeps its colours and coarse layout but loses the detail a model recognises. Padding
 * of a letterboxed input stays as it is. Two forward passes, in one batch.
 */
public final class ContextTest {

    private ContextTest() {
    }

    /**
     * Scores the two perturbed inputs.
     *
     * @param input the prepared (unperturbed) image
     * @param boxes reference boxes {@code x1, y1, x2, y2} in model-input pixels
     * @param reference where the boxes come from: {@link ContextScores#GROUND_TRUTH} or {@link ContextScores#PREDICTION}
     * @param scorer the model and target under test
     */
    public static ContextScores measure(ModelInput input, List<double[]> boxes, String reference,
            DeletionInsertion.Scorer scorer) {
        float[] original = input.pixels();
        float[] blurred = DeletionInsertion.blurred(input);
        float[] contextRemoved = original.clone();
        float[] objectRemoved = original.clone();
        InputGeometry geometry = input.geometry();
        int width = input.width();
        for (int y = 0; y < input.height(); y++) {
            for (int x = 0; x < width; x++) {
                if (!geometry.isContent(x, y)) {
                    continue;
                }
                float[] target = inside(boxes, x + 0.5, y + 0.5) ? objectRemoved : contextRemoved;
                int p = (y * width + x) * 3;
                target[p] = blurred[p];
                target[p + 1] = blurred[p + 1];
                target[p + 2] = blurred[p + 2];
            }
        }
        double[] scores = scorer.scores(List.of(input.withPixels(contextRemoved), input.withPixels(objectRemoved)));
        return new ContextScores(reference, scores[0], scores[1]);
    }

    private static boolean inside(List<double[]> boxes, double x, double y) {
        for (double[] box : boxes) {
            if (x >= box[0] && x < box[2] && y >= box[1] && y < box[3]) {
                return true;
            }
        }
        return false;
    }

    /**
     * A target's scores in the context test.
     *
     * @param reference where the box(es) came from: {@value #GROUND_TRUTH} or {@value #PREDICTION}
     * @param contextRemovedScore the score with everything outside the box(es) blurred
     * @param objectRemovedScore the score with the box(es) blurred
     */
    public record ContextScores(String reference, double contextRemovedScore, double objectRemovedScore) {

        /** Forward passes one test costs. */
        public static final int FORWARD_PASSES = 2;
        /** The boxes are the ground truth's objects of the target's label. */
        public static final String GROUND_TRUTH = "ground-truth";
        /** The box is the target's predicted one. */
        public static final String PREDICTION = "prediction";
    }
}
