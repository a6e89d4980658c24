package dev.lumen.explainer.metric;

import dev.lumen.catalogue.MethodCatalogue;
import dev.lumen.explainer.model.InputGeometry;
import dev.lumen.explainer.model.ModelInput;
import dev.lumen.render.SaliencyMap;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.IntStream;

/**
 * Deletion and insertion curves (Petsiuk et al., RISE, 2018), computed in the model's input space.
 * Pixels of the image content are ranked by saliency; at step {@code k} of {@code steps} the top
 * {@code k/steps} of them are set to black (deletion) or copied from the original onto a blurred
 * copy (insertion). The target's score is read for every step and the area under each curve is
 * the trapezoidal mean. Perturbed images are scored in batches, never all held at once.
 */
public final class DeletionInsertion {

    /** Default number of steps: 17 points per curve, 34 scored images per map. */
    public static final int DEFAULT_STEPS = ((Number) MethodCatalogue.METRIC_STEPS.defaultValue()).intValue();
    private static final int BLUR_RADIUS = 5;
    private static final double BLUR_SIGMA = 5;

    private final int steps;
    private final int batchSize;

    /**
     * @param steps curve steps, at least 2
     * @param batchSize how many perturbed images to score per call
     */
    public DeletionInsertion(int steps, int batchSize) {
        if (steps < 2 || batchSize < 1) {
            throw new IllegalArgumentException("steps must be >= 2 and batchSize >= 1");
        }
        this.steps = steps;
        this.batchSize = batchSize;
    }

    /** Scores a batch of perturbed inputs: the target's score for each, in [0, 1]. */
    @FunctionalInterface
    public interface Scorer {
        /** One score per input, in order. */
        double[] scores(List<ModelInput> inputs);
    }

    /**
     * Evaluates one map.
     *
     * @param input the prepared (unperturbed) image
     * @param saliency the map in input space (any resolution; resized to the input size)
     * @param scorer the model and target under test
     */
    public Faithfulness evaluate(ModelInput input, SaliencyMap saliency, Scorer scorer) {
        int[] ranking = rankContentPixels(input, saliency.resize(input.width(), input.height()));
        float[] original = input.pixels();
        float[] blurred = blurred(input);
        double[] deletion = curve(input, ranking, original, new float[original.length], scorer);
        double[] insertion = curve(input, ranking, blurred, original, scorer);
        return new Faithfulness(area(deletion), area(insertion), 2 * (steps + 1));
    }

    /** The input's pixels blurred as the insertion curve starts from. */
    public static float[] blurred(ModelInput input) {
        return GaussianBlur.blur(input.pixels(), input.width(), input.height(), BLUR_RADIUS, BLUR_SIGMA);
    }

    /**
     * Scores for steps 0..steps: step {@code k} copies the top {@code k/steps} ranked pixels from
     * {@code replacement} into {@code start}.
     */
    private double[] curve(ModelInput input, int[] ranking, float[] start, float[] replacement, Scorer scorer) {
        double[] scores = new double[steps + 1];
        float[] current = start.clone();
        int changed = 0;
        List<ModelInput> batch = new ArrayList<>(batchSize);
        int scored = 0;
        for (int k = 0; k <= steps; k++) {
            int target = (int) Math.round(ranking.length * (double) k / steps);
            for (; changed < target; changed++) {
                int p = ranking[changed] * 3;
                current[p] = replacement[p];
                current[p + 1] = replacement[p + 1];
                current[p + 2] = replacement[p + 2];
            }
            batch.add(input.withPixels(current.clone()));
            if (batch.size() == batchSize || k == steps) {
                double[] batchScores = scorer.scores(batch);
                System.arraycopy(batchScores, 0, scores, scored, batchScores.length);
                scored += batchScores.length;
                batch.clear();
            }
        }
        return scores;
    }

    /** Content pixel indices, most salient first (ties by position, so results are reproducible). */
    private static int[] rankContentPixels(ModelInput input, SaliencyMap saliency) {
        InputGeometry geometry = input.geometry();
        float[] values = saliency.values();
        int width = input.width();
        return IntStream.range(0, values.length)
                .filter(p -> geometry.isContent(p % width, p / width))
                .boxed()
                .sorted((a, b) -> {
                    int bySaliency = Float.compare(values[b], values[a]);
                    return bySaliency != 0 ? bySaliency : Integer.compare(a, b);
                })
                .mapToInt(Integer::intValue)
                .toArray();
    }

    private double area(double[] curve) {
        double sum = 0;
        for (int k = 0; k < steps; k++) {
            sum += (curve[k] + curve[k + 1]) / 2;
        }
        return sum / steps;
    }
}
