package dev.lumen.explainer;

import dev.lumen.explainer.method.CamMethod;
import dev.lumen.explainer.method.LayerMaps;
import dev.lumen.explainer.method.Methods;
import dev.lumen.explainer.metric.DeletionInsertion;
import dev.lumen.explainer.metric.Faithfulness;
import dev.lumen.explainer.model.FloatTensor;
import dev.lumen.explainer.model.ForwardResult;
import dev.lumen.explainer.model.LayerGeometry;
import dev.lumen.explainer.model.LoadedModel;
import dev.lumen.explainer.model.ModelInput;
import dev.lumen.explainer.model.ModelLoadException;
import dev.lumen.explainer.model.ModelRunException;
import dev.lumen.explainer.model.TargetLayer;
import dev.lumen.explainer.model.Task;
import dev.lumen.explainer.target.ClassTargetSelector;
import dev.lumen.explainer.target.LabelChoice;
import dev.lumen.explainer.target.ScoreTarget;
import dev.lumen.explainer.target.SegmentTarget;
import dev.lumen.explainer.target.SegmentTargetSelector;
import dev.lumen.render.SaliencyMap;
import java.awt.image.BufferedImage;
import java.util.ArrayList;
import java.util.List;

/**
 * Explains images for one loaded model: the entry point of the worker service and the CLI.
 *
 * <p>For the Grad-CAM family one explanation costs about one forward pass: a single run yields the
 * predictions and the target layer's activations, then one short run per batch of targets feeds
 * those activations back in and differentiates only the layers after them.
 *
 * <p>Thread-safe: one instance may serve concurrent requests (TensorFlow runs them in parallel).
 */
public final class Explainer {

    /** How many perturbed images the faithfulness metrics send per model run. */
    private static final int METRIC_BATCH = 32;

    private final LoadedModel model;
    private final ClassTargetSelector selector;
    private final SegmentTargetSelector segments;
    private final PerturbationExplainer perturbation;

    /** An explainer for {@code model}. */
    public Explainer(LoadedModel model) {
        Task task = model.descriptor().task();
        this.model = model;
        // Detectors have no per-label scores: they are explained by D-RISE only.
        this.selector = task.scoresLabels() ? new ClassTargetSelector(task, model.descriptor().labels(),
                model.descriptor().scoreThreshold()) : null;
        this.segments = task == Task.SEMANTIC_SEGMENTATION ? new SegmentTargetSelector(model.descriptor().labels(),
                model.descriptor().background(), model.descriptor().scoreThreshold()) : null;
        this.perturbation = new PerturbationExplainer(model);
    }

    /**
     * Explains one image. For attribute models each of {@link ExplainOptions#objects()} (or the
     * whole image) is explained on its own crop, and maps are placed back into the whole image.
     *
     * @throws IllegalArgumentException for an unknown method, a bad parameter or an object outside
     *     the image (the message names the allowed values or the object)
     * @throws dev.lumen.explainer.model.ModelRunException when TensorFlow fails on the input
     */
    public ExplainResult explain(BufferedImage image, ExplainOptions options) {
        if (model.descriptor().task() == Task.ATTRIBUTES) {
            // Attributes belong to objects: each object's crop is explained as an image.
            return ObjectAttributesExplainer.explain(image, options, this::explainImage);
        }
        return explainImage(image, options);
    }

    private ExplainResult explainImage(BufferedImage image, ExplainOptions options) {
        long start = System.nanoTime();
        if (PerturbationExplainer.handles(options.method())) {
            if (segments != null) {
                throw new IllegalArgumentException("method " + options.method() + " does not explain task "
                        + Task.SEMANTIC_SEGMENTATION.id() + "; use gradcam, gradcam++ or hirescam");
            }
            return perturbation.explain(image, options, null);
        }
        CamMethod method = Methods.cam(options.method());
        if (selector == null && segments == null) {
            return perturbation.explain(image, options, options.method() + " needs per-label scores; task "
                    + model.descriptor().task().id() + " is explained with " + PerturbationExplainer.DRISE);
        }
        ExplainSettings settings = ExplainSettings.from(options.parameters());
        Integer chosenClass = settings.classChoice() == null ? null
                : LabelChoice.resolve(model.descriptor().labels(), settings.classChoice());
        TargetLayer layer;
        try {
            layer = model.targetLayer(settings.targetLayer());
        } catch (ModelLoadException e) {
            // No spatial activation to explain at: the black-box method works on any architecture.
            return rise(image, options, options.method() + " unavailable (" + e.getMessage() + ")");
        }

        ModelInput input = model.preprocessor().prepare(image);
        ForwardResult forward = model.forward(List.of(input), layer);
        long forwardPasses = 1;
        float[] scores = model.labelScores(forward)[0];
        ClassTargetSelector.Selection selection = segments != null
                ? segments.select(scores, model.labelScoreShape(forward), chosenClass, input.geometry())
                : selector.select(scores, chosenClass);
        if (selection.targets().isEmpty()) {
            return new ExplainResult(selection.predictions(), List.of(), layer.name(), selection.skippedReason(),
                    elapsedMs(start), forwardPasses);
        }

        List<SaliencyMap> inputMaps;
        try {
            inputMaps = inputSpaceMaps(method, layer, input, forward, selection.targets());
        } catch (ModelLoadException e) {
            // Gradients cannot be added (e.g. an op without a registered gradient): fall back to RISE.
            return rise(image, options, options.method() + " unavailable (" + e.getMessage() + ")");
        }
        List<TargetExplanation> explanations = new ArrayList<>();
        DeletionInsertion metric = new DeletionInsertion(settings.metricSteps(), Math.min(METRIC_BATCH, model.maxBatch()));
        for (int t = 0; t < selection.targets().size(); t++) {
            ScoreTarget target = selection.targets().get(t);
            SaliencyMap inputMap = inputMaps.get(t);
            Double deletion = null;
            Double insertion = null;
            if (settings.metrics()) {
                Faithfulness faithfulness = metric.evaluate(input, inputMap, inputs -> scores(inputs, target));
                deletion = faithfulness.deletionAuc();
                insertion = faithfulness.insertionAuc();
                forwardPasses += faithfulness.forwardPasses();
            }
            SaliencyMap aligned = input.geometry().toOriginal(inputMap).normalized();
            SaliencyMap region = target instanceof SegmentTarget segment
                    ? segmentRegion(segment, model.labelScoreShape(forward), input) : null;
            explanations.add(new TargetExplanation(target.prediction(), aligned, deletion, insertion, region));
        }
        return new ExplainResult(selection.predictions(), explanations, layer.name(), null, elapsedMs(start),
                forwardPasses);
    }

    /** The loaded model this explainer runs. */
    public LoadedModel model() {
        return model;
    }

    /** The black-box fallback, for label tasks; a segmenter has none, so its image fails with the reason. */
    private ExplainResult rise(BufferedImage image, ExplainOptions options, String reason) {
        if (segments != null) {
            throw new ModelRunException(reason + "; semantic segmenters have no black-box fallback");
        }
        return perturbation.explain(image, options, reason + "; explained with " + PerturbationExplainer.RISE);
    }

    /** One map per target at the model input's resolution. */
    private List<SaliencyMap> inputSpaceMaps(CamMethod method, TargetLayer layer, ModelInput input,
            ForwardResult forward, List<ScoreTarget> targets) {
        FloatTensor explained = forward.outputs().get(model.explainedRole());
        List<float[]> seeds = targets.stream().map(t -> t.gradientSeed(explained.sampleSize())).toList();
        FloatTensor gradients = model.layerGradients(input, layer, forward, seeds);
        FloatTensor activations = forward.activations();
        LayerMaps activationMaps = LayerMaps.of(activations.sample(0), activations.sampleShape(),
                model.descriptor().input().layout());
        List<SaliencyMap> maps = new ArrayList<>();
        for (int t = 0; t < targets.size(); t++) {
            LayerMaps gradientMaps = LayerMaps.of(gradients.sample(t), gradients.sampleShape(),
                    model.descriptor().input().layout());
            float[] cam = method.cam(activationMaps, gradientMaps);
            SaliencyMap layerMap = new SaliencyMap(cam, activationMaps.width(), activationMaps.height());
            maps.add(geometry(layer, layerMap, input).toInput(layerMap, input.width(), input.height()));
        }
        return maps;
    }

    /** A segment's predicted pixels as a 0/1 map aligned to the original image. */
    private static SaliencyMap segmentRegion(SegmentTarget segment, long[] shape, ModelInput input) {
        int height = (int) shape[0];
        int width = (int) shape[1];
        float[] values = new float[width * height];
        for (int p = 0; p < values.length; p++) {
            values[p] = segment.mask()[p] ? 1 : 0;
        }
        SaliencyMap outputMap = new SaliencyMap(values, width, height);
        SaliencyMap inputMap = LayerGeometry.evenlySpread(width, height, input.width(), input.height())
                .toInput(outputMap, input.width(), input.height());
        return input.geometry().toOriginal(inputMap);
    }

    /** The traced geometry, or the evenly spread one when the layer's size is only known at run time. */
    private static LayerGeometry geometry(TargetLayer layer, SaliencyMap layerMap, ModelInput input) {
        return layer.geometry() != null ? layer.geometry()
                : LayerGeometry.evenlySpread(layerMap.width(), layerMap.height(), input.width(), input.height());
    }

    private double[] scores(List<ModelInput> inputs, ScoreTarget target) {
        float[][] labelScores = model.labelScores(model.forward(inputs, null));
        double[] scores = new double[labelScores.length];
        for (int i = 0; i < scores.length; i++) {
            scores[i] = target.score(labelScores[i]);
        }
        return scores;
    }

    private static long elapsedMs(long startNanos) {
        return (System.nanoTime() - startNanos) / 1_000_000;
    }
}
