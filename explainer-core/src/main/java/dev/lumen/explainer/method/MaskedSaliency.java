package dev.lumen.explainer.method;

import dev.lumen.explainer.model.FloatTensor;
import dev.lumen.explainer.model.LoadedModel;
import dev.lumen.explainer.model.ModelDescriptor.Layout;
import dev.lumen.explainer.model.ModelInput;
import dev.lumen.render.SaliencyMap;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The engine RISE and D-RISE share: random masks applied to the image, masked images run through
 * the model in batches, each mask weighted per target by a {@link Scorer}, maps fused online
 * ({@link OnlineSaliency}) and, optionally, stopped once they have converged.
 *
 * <p>Why it is cheap: masked tensors are built straight from the normalised image (normalisation
 * is affine per channel, so {@code norm(m * x) = norm(0) + m * (norm(x) - norm(0))}), the mask
 * buffers are reused across batches, and nothing per mask is kept. Memory is the batch plus a few
 * maps, whatever the number of masks.
 *
 * <p>Early stopping predicts, from the data so far, how well the current map agrees with the map
 * that all {@code masks} masks would give, and stops once that reaches {@code stopCorrelation} for
 * every target. The prediction is a split-half estimate: the masks come from two independent
 * streams of the {@link RandomMasks.Design} (different seeds, taken in turn), whose two maps
 * {@code r}-correlate; the correlation {@code r} measures the noise left. Splitting one stream
 * instead would pair masks that were drawn to cancel each other's noise, and the halves would look
 * noisier than the whole is; two streams let a check fall anywhere, not only on block ends. Under a
 * signal plus independent noise model, with {@code q = (1/r - 1) / 2} the noise-to-signal variance
 * ratio of the map of {@code n} masks, the correlation of that map with the map of {@code N >= n}
 * masks (which contains it) is {@code sqrt((1 + q n / N) / (1 + q))}. Comparing consecutive checks
 * instead (the obvious rule) confuses "changes little per step" with "close to the final map" and
 * either stops too late or, with coarse steps, too early.
 */
public final class MaskedSaliency {

    /** Upper bound on the bytes of one masked input batch, so 640x640 inputs stay well within the heap. */
    private static final long BATCH_BYTES = 48L << 20;

    /** Weights of masked images for each target. */
    @FunctionalInterface
    public interface Scorer {
        /**
         * @param outputs the model's raw outputs for a batch of masked images
         * @return weights {@code [image][target]}
         */
        double[][] weights(Map<String, FloatTensor> outputs);
    }

    /**
     * Sampling parameters.
     *
     * @param masks the most masks to draw
     * @param grid cells per side of the mask grid
     * @param p probability that a cell stays visible
     * @param seed random seed of the mask sequence
     * @param earlyStop whether to stop once the maps have converged
     * @param stopCorrelation predicted Pearson correlation with the map of all {@code masks} masks at
     *     which sampling stops
     * @param batch preferred masked images per model run (capped by the model and by memory)
     * @param design how successive masks depend on one another
     * @param shiftsPerBlock stratified shifts per orthogonal block (see {@link OrthogonalCells})
     * @param complements whether every orthogonal mask is followed by its complement
     */
    public record Settings(int masks, int grid, double p, long seed, boolean earlyStop, double stopCorrelation,
            int batch, RandomMasks.Design design, int shiftsPerBlock, boolean complements) {

        /** The default shifts per block and complements for {@code design}. */
        public Settings(int masks, int grid, double p, long seed, boolean earlyStop, double stopCorrelation, int batch,
                RandomMasks.Design design) {
            this(masks, grid, p, seed, earlyStop, stopCorrelation, batch, design, DEFAULT_SHIFTS_PER_BLOCK,
                    DEFAULT_COMPLEMENTS);
        }
    }

    /** Consecutive checks whose prediction must reach the stop correlation before sampling stops. */
    static final int CHECKS_IN_A_ROW = 3;
    /** The fewest masks between early-stop checks (the D-RISE default budget checks every 80). */
    static final int MIN_CHECK_SPACING = 80;

    /** Stratified shifts per orthogonal block by default (decision 0035). */
    public static final int DEFAULT_SHIFTS_PER_BLOCK = 1;
    /** Whether orthogonal masks come with their complements by default (decision 0035). */
    public static final boolean DEFAULT_COMPLEMENTS = false;

    /** Weights of a batch of masks, whatever runs them: the model in {@link #explain}, a replay in benches. */
    @FunctionalInterface
    public interface MaskScorer {
        /**
         * @param masks mask buffers, values in [0, 1], row-major; only the first {@code size} are this batch
         * @param size masks in this batch
         * @return weights {@code [mask][target]}
         */
        double[][] weights(float[][] masks, int size);
    }

    /** Told about every early-stopping check (e.g. to publish a preview or to measure the rule). */
    @FunctionalInterface
    public interface Progress {
        /** Called after each check, before sampling continues or stops. */
        void checked(Checkpoint checkpoint);
    }

    /**
     * One check.
     *
     * @param masks masks drawn so far
     * @param predictedCorrelation the predicted correlation with the map of all masks (smallest across targets)
     * @param converged whether sampling stops here
     * @param maps the current map per target (not normalised)
     */
    public record Checkpoint(int masks, double predictedCorrelation, boolean converged, List<float[]> maps) {
    }

    /**
     * The outcome.
     *
     * @param maps one map per target in model-input space (not normalised)
     * @param masksUsed masks actually drawn (fewer than asked when stopped early)
     * @param stoppedEarly whether the maps converged before all masks were drawn
     * @param correlation the last check's predicted correlation with the map of all masks (smallest
     *     across targets), NaN when never checked
     * @param batch masked images per model run that was used
     * @param splitHalves per target, the correlation of the two independent streams' maps at the end
     *     (empty when neither early stopping nor progress asked for checks)
     */
    public record Result(List<SaliencyMap> maps, int masksUsed, boolean stoppedEarly, double correlation, int batch,
            double[] splitHalves) {
    }

    private MaskedSaliency() {
    }

    /** The batch size used for {@code model} with a preferred size: capped by the model and by memory. */
    public static int batchSize(LoadedModel model, int preferred) {
        long perImage = 4L * model.descriptor().input().width() * model.descriptor().input().height()
                * (model.descriptor().input().channels() + 1L);
        int byMemory = (int) Math.max(1, BATCH_BYTES / perImage);
        return Math.max(1, Math.min(Math.min(preferred, model.maxBatch()), byMemory));
    }

    /** Explains {@code targets} targets of one prepared image. */
    public static Result explain(LoadedModel model, ModelInput input, int targets, Scorer scorer, Settings settings) {
        return explain(model, input, targets, scorer, settings, null);
    }

    /** Explains {@code targets} targets of one prepared image, telling {@code progress} (if not null) of every check. */
    public static Result explain(LoadedModel model, ModelInput input, int targets, Scorer scorer, Settings settings,
            Progress progress) {
        int batch = batchSize(model, settings.batch());
        return estimate(input.width(), input.height(), targets, maskScorer(model, input, scorer, batch), settings, batch,
                progress);
    }

    /**
     * Scores masks on the model: each mask applied to the prepared image, {@code batch} masked
     * images at most per model run, weighed by {@code scorer}.
     */
    public static MaskScorer maskScorer(LoadedModel model, ModelInput input, Scorer scorer, int batch) {
        int plane = input.width() * input.height();
        int channels = model.descriptor().input().channels();
        boolean nhwc = model.descriptor().input().layout() == Layout.NHWC;
        float[] zero = model.preprocessor().tensor(List.of(input.withPixels(new float[plane * 3]))).data();
        float[] delta = model.preprocessor().tensor(List.of(input)).data();
        for (int i = 0; i < delta.length; i++) {
            delta[i] -= zero[i];
        }
        float[] full = new float[batch * zero.length];
        return (masks, size) -> {
            float[] data = size == batch ? full : new float[size * zero.length];
            for (int b = 0; b < size; b++) {
                float[] mask = masks[b];
                int offset = b * zero.length;
                if (nhwc) {
                    for (int p = 0, e = offset, s = 0; p < plane; p++) {
                        float m = mask[p];
                        for (int c = 0; c < channels; c++, e++, s++) {
                            data[e] = zero[s] + m * delta[s];
                        }
                    }
                } else {
                    for (int c = 0, s = 0; c < channels; c++) {
                        for (int p = 0; p < plane; p++, s++) {
                            data[offset + s] = zero[s] + mask[p] * delta[s];
                        }
                    }
                }
            }
            return scorer.weights(model.run(new FloatTensor(model.preprocessor().tensorShape(size, input.width(), input.height()), data)));
        };
    }

    /**
     * The sampling, fusion and early stopping of {@link #explain} over any source of weights: masks
     * are drawn, scored {@code batch} at a time by {@code scorer}, fused online and checked.
     *
     * @param progress told of every check, or null
     */
    public static Result estimate(int width, int height, int targets, MaskScorer scorer, Settings settings, int batch,
            Progress progress) {
        int plane = width * height;
        RandomMasks[] streams = new RandomMasks[2];
        for (int s = 0; s < streams.length; s++) {
            streams[s] = new RandomMasks(width, height, settings.grid(), settings.p(), streamSeed(settings.seed(), s),
                    settings.design(), settings.shiftsPerBlock(), settings.complements());
        }
        // A mask and its complement stay together in one stream; streams take turns.
        int chunk = settings.design() == RandomMasks.Design.ORTHOGONAL && settings.complements() ? 2 : 1;
        boolean checking = settings.earlyStop() || progress != null;
        // Checks are cheap (three Pearson correlations per target), so check often: the stop then
        // lands close to where the prediction crosses the threshold. Checks fall after whole turns,
        // and never closer than MIN_CHECK_SPACING masks whatever the budget: three checks in a row
        // 32 masks apart confirm little (the detector fixture then stopped after ~130 masks with
        // maps whose peaks left their objects).
        int checkEvery = roundUp(Math.max(Math.max(batch, MIN_CHECK_SPACING), (settings.masks() + 63) / 64), 2 * chunk);
        OnlineSaliency saliency = new OnlineSaliency(targets, plane);
        OnlineSaliency firstStream = checking ? new OnlineSaliency(targets, plane) : null;
        float[][] masks = new float[batch][plane];
        int done = 0;
        // Two checks' worth of masks at least: a split half of a few dozen masks says little.
        int nextCheck = 2 * checkEvery;
        double correlation = Double.NaN;
        boolean converged = false;
        int reachedInARow = 0;
        while (done < settings.masks() && !converged) {
            int size = Math.min(batch, settings.masks() - done);
            if (checking) {
                size = Math.min(size, nextCheck - done);
            }
            for (int b = 0; b < size; b++) {
                streams[(done + b) / chunk % 2].next(masks[b]);
            }
            double[][] weights = scorer.weights(masks, size);
            for (int b = 0; b < size; b++) {
                saliency.add(masks[b], weights[b]);
                if (checking && (done + b) / chunk % 2 == 0) {
                    firstStream.add(masks[b], weights[b]);
                }
            }
            done += size;
            if (checking && done == nextCheck && done < settings.masks()) {
                nextCheck += checkEvery;
                correlation = predictedCorrelation(saliency, firstStream, settings.masks());
                // Several checks in a row: one split half of a few hundred masks is itself noisy, and
                // a single lucky check stopped runs short of the criterion (EarlyStopRuleTest).
                reachedInARow = correlation >= settings.stopCorrelation() ? reachedInARow + 1 : 0;
                converged = settings.earlyStop() && reachedInARow >= CHECKS_IN_A_ROW;
                if (progress != null) {
                    List<float[]> current = new ArrayList<>();
                    for (int t = 0; t < targets; t++) {
                        current.add(saliency.map(t));
                    }
                    progress.checked(new Checkpoint(done, correlation, converged, current));
                }
            }
        }
        List<SaliencyMap> maps = new ArrayList<>();
        double[] halves = new double[checking ? targets : 0];
        for (int t = 0; t < targets; t++) {
            maps.add(new SaliencyMap(saliency.map(t), width, height));
            if (checking) {
                halves[t] = OnlineSaliency.pearson(firstStream.map(t), saliency.mapWithout(firstStream, t));
            }
        }
        return new Result(maps, done, converged, correlation, batch, halves);
    }

    /** The seed of stream {@code stream}: the first is the run's own seed, so one seed gives one sequence. */
    private static long streamSeed(long seed, int stream) {
        return stream == 0 ? seed : seed * 0x9E3779B97F4A7C15L + 0x632BE59BD9B4E019L;
    }

    /**
     * The smallest, across targets, predicted correlation between the map of the masks so far and
     * the map of all {@code total} masks (see the class comment).
     *
     * @param all every mask so far
     * @param evenBlocks the masks of one independent half so far (the first stream); the other half's
     *     are {@code all} less these
     */
    static double predictedCorrelation(OnlineSaliency all, OnlineSaliency evenBlocks, int total) {
        double smallest = 1;
        long even = evenBlocks.count();
        long odd = all.count() - even;
        for (int t = 0; t < all.targets(); t++) {
            double halves = OnlineSaliency.pearson(evenBlocks.map(t), all.mapWithout(evenBlocks, t));
            smallest = Math.min(smallest, predictedCorrelation(halves, even, odd, total));
        }
        return smallest;
    }

    /** The correlation with the map of {@code total} masks, from the split-half correlation at {@code done}. */
    public static double predictedCorrelation(double halves, int done, int total) {
        return predictedCorrelation(halves, done / 2.0, done - done / 2.0, total);
    }

    /**
     * The correlation with the map of {@code total} masks, from the correlation {@code halves} of
     * two independent part maps of {@code first} and {@code second} masks. With noise-to-signal
     * variance ratio {@code a / n} for a map of {@code n} masks, two parts correlate with
     * {@code 1 / sqrt((1 + a / first)(1 + a / second))}; solving that for {@code a} gives the
     * correlation {@code sqrt((1 + a / total) / (1 + a / (first + second)))} of their union with
     * the map of all masks, which contains it.
     */
    static double predictedCorrelation(double halves, double first, double second, int total) {
        if (halves <= 0) {
            return 0;
        }
        double u = 1 / first + 1 / second;
        double v = 1 / (first * second);
        double c = 1 / (halves * halves) - 1;
        // v a^2 + u a - c = 0, the positive root written to avoid cancellation.
        double a = 2 * c / (u + Math.sqrt(u * u + 4 * v * c));
        return Math.sqrt((1 + a / total) / (1 + a / (first + second)));
    }

    private static int roundUp(int value, int multiple) {
        return (value + multiple - 1) / multiple * multiple;
    }
}
