package dev.lumen.explainer;

import dev.lumen.explainer.detection.Boxes;
import dev.lumen.explainer.detection.Detection;
import dev.lumen.explainer.detection.DetectionDecoder;
import dev.lumen.explainer.detection.DetectionDecoders;
import dev.lumen.explainer.detection.Proposals;
import dev.lumen.explainer.method.MaskedSaliency;
import dev.lumen.explainer.metric.DeletionInsertion;
import dev.lumen.explainer.metric.Faithfulness;
import dev.lumen.explainer.model.FloatTensor;
import dev.lumen.explainer.model.ForwardResult;
import dev.lumen.explainer.model.LoadedModel;
import dev.lumen.explainer.model.ModelInput;
import dev.lumen.explainer.target.ClassTargetSelector;
import dev.lumen.explainer.target.DetectionTarget;
import dev.lumen.explainer.target.ScoreTarget;
import dev.lumen.render.SaliencyMap;
import java.awt.image.BufferedImage;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The black-box methods: D-RISE for detectors and instance segmenters, RISE for label-scoring
 * models (asked for, or as the fallback when Grad-CAM has no gradient or spatial layer). Both use
 * {@link MaskedSaliency}; only the target's weight of a masked image differs.
 */
final class PerturbationExplainer {

    static final String DRISE = "drise";
    static final String RISE = "rise";
    /**
     * Proposals below this score are dropped. A proposal's similarity is at most its score, so this
     * only zeroes weights under 0.01. Speed no longer hangs on it: proposals that cannot beat a
     * target's best are not decoded (see {@link DetectionTarget#similarity(Proposals)}).
     */
    private static final double MIN_PROPOSAL_SCORE = 0.01;
    private static final double NMS_IOU = 0.5;
    private static final int MAX_PREDICTIONS = 100;
    /** Each target keeps a map in memory; more objects than this in one image are not explained. */
    private static final int MAX_TARGETS = 20;
    private static final int METRIC_BATCH = 32;

    private final LoadedModel model;
    private final DetectionDecoder decoder;
    private final ClassTargetSelector selector;

    PerturbationExplainer(LoadedModel model) {
        this.model = model;
        boolean labels = model.descriptor().task().scoresLabels();
        this.decoder = model.descriptor().task().hasScoreOutput() ? null : DetectionDecoders.forDescriptor(model.descriptor());
        this.selector = labels ? new ClassTargetSelector(model.descriptor().task(), model.descriptor().labels(),
                model.descriptor().scoreThreshold()) : null;
    }

    /** Whether {@code method} names a perturbation method. */
    static boolean handles(String method) {
        String name = method == null ? "" : method.toLowerCase(Locale.ROOT);
        return name.equals(DRISE) || name.equals(RISE);
    }

    /**
     * Explains one image.
     *
     * @param note a note to report (e.g. why this method replaced the one asked for), or null
     */
    ExplainResult explain(BufferedImage image, ExplainOptions options, String note) {
        long start = System.nanoTime();
        ExplainSettings settings = ExplainSettings.from(options.parameters());
        PerturbationSettings sampling = PerturbationSettings.from(options.parameters(), decoder != null);
        long seed = options.seed() == null ? 0 : options.seed();
        MaskedSaliency.Settings maskSettings = new MaskedSaliency.Settings(sampling.masks(), sampling.grid(), sampling.p(),
                seed, sampling.earlyStop(), sampling.stopCorrelation(), sampling.batch(), sampling.design());
        ModelInput input = model.preprocessor().prepare(image);
        Map<String, FloatTensor> outputs = model.forward(List.of(input), null).outputs();
        List<String> notes = new ArrayList<>();
        if (note != null) {
            notes.add(note);
        }
        return decoder != null
                ? explainDetections(input, outputs, settings, maskSettings, notes, start)
                : explainLabels(input, outputs, settings, maskSettings, notes, start);
    }

    private ExplainResult explainDetections(ModelInput input, Map<String, FloatTensor> outputs, ExplainSettings settings,
            MaskedSaliency.Settings maskSettings, List<String> notes, long start) {
        List<String> labels = model.descriptor().labels();
        double threshold = model.descriptor().scoreThreshold();
        List<Detection> proposals = decode(outputs).get(0).all();
        List<Detection> kept = Boxes.nms(proposals, threshold, NMS_IOU);
        List<Prediction> predictions = kept.stream().limit(MAX_PREDICTIONS).map(d -> prediction(d, input)).toList();
        List<DetectionTarget> targets = new ArrayList<>();
        if (settings.classChoice() != null) {
            int label = resolveLabel(settings.classChoice());
            kept.stream().filter(d -> d.label() == label).limit(MAX_TARGETS)
                    .forEach(d -> targets.add(new DetectionTarget(prediction(d, input), d)));
            if (targets.isEmpty()) {
                // "Why not this class?": explain the best proposal of that class, whatever its score.
                proposals.stream().filter(d -> d.label() == label)
                        .max((a, b) -> Double.compare(a.score(), b.score()))
                        .ifPresent(d -> targets.add(new DetectionTarget(prediction(d, input), d)));
            }
        } else {
            kept.stream().limit(MAX_TARGETS).forEach(d -> targets.add(new DetectionTarget(prediction(d, input), d)));
        }
        if (targets.isEmpty()) {
            return new ExplainResult(predictions, List.of(), null, "no prediction above " + format(threshold),
                    elapsedMs(start), 1, notes);
        }
        MaskedSaliency.Result result = MaskedSaliency.explain(model, input, targets.size(), batch -> {
            List<Proposals> perImage = decode(batch);
            double[][] weights = new double[perImage.size()][targets.size()];
            for (int i = 0; i < perImage.size(); i++) {
                for (int t = 0; t < targets.size(); t++) {
                    weights[i][t] = targets.get(t).similarity(perImage.get(i));
                }
            }
            return weights;
        }, maskSettings);
        notes.add(samplingNote(DRISE, result, maskSettings));
        List<TargetExplanation> explanations = new ArrayList<>();
        long forwardPasses = 1 + result.masksUsed();
        DeletionInsertion metric = new DeletionInsertion(settings.metricSteps(), Math.min(METRIC_BATCH, model.maxBatch()));
        for (int t = 0; t < targets.size(); t++) {
            DetectionTarget target = targets.get(t);
            SaliencyMap map = result.maps().get(t).normalized();
            Faithfulness faithfulness = null;
            if (settings.metrics()) {
                faithfulness = metric.evaluate(input, map, inputs -> {
                    List<Proposals> perImage = decode(model.forward(inputs, null).outputs());
                    return perImage.stream().mapToDouble(target::similarity).toArray();
                });
                forwardPasses += faithfulness.forwardPasses();
            }
            explanations.add(explanation(target.prediction(), map, input, faithfulness));
        }
        return new ExplainResult(predictions, explanations, null, null, elapsedMs(start), forwardPasses, notes);
    }

    private ExplainResult explainLabels(ModelInput input, Map<String, FloatTensor> outputs, ExplainSettings settings,
            MaskedSaliency.Settings maskSettings, List<String> notes, long start) {
        Integer chosen = settings.classChoice() == null ? null : selector.resolve(settings.classChoice());
        ClassTargetSelector.Selection selection = selector.select(labelScores(outputs)[0], chosen);
        List<ScoreTarget> targets = selection.targets();
        if (targets.isEmpty()) {
            return new ExplainResult(selection.predictions(), List.of(), null, selection.skippedReason(), elapsedMs(start),
                    1, notes);
        }
        MaskedSaliency.Result result = MaskedSaliency.explain(model, input, targets.size(), batch -> {
            float[][] scores = labelScores(batch);
            double[][] weights = new double[scores.length][targets.size()];
            for (int i = 0; i < scores.length; i++) {
                for (int t = 0; t < targets.size(); t++) {
                    weights[i][t] = targets.get(t).score(scores[i]);
                }
            }
            return weights;
        }, maskSettings);
        notes.add(samplingNote(RISE, result, maskSettings));
        List<TargetExplanation> explanations = new ArrayList<>();
        long forwardPasses = 1 + result.masksUsed();
        DeletionInsertion metric = new DeletionInsertion(settings.metricSteps(), Math.min(METRIC_BATCH, model.maxBatch()));
        for (int t = 0; t < targets.size(); t++) {
            ScoreTarget target = targets.get(t);
            SaliencyMap map = result.maps().get(t).normalized();
            Faithfulness faithfulness = null;
            if (settings.metrics()) {
                faithfulness = metric.evaluate(input, map, inputs -> {
                    float[][] scores = labelScores(model.forward(inputs, null).outputs());
                    double[] values = new double[scores.length];
                    for (int i = 0; i < scores.length; i++) {
                        values[i] = target.score(scores[i]);
                    }
                    return values;
                });
                forwardPasses += faithfulness.forwardPasses();
            }
            explanations.add(explanation(target.prediction(), map, input, faithfulness));
        }
        return new ExplainResult(selection.predictions(), explanations, null, null, elapsedMs(start), forwardPasses,
                notes);
    }

    private List<Proposals> decode(Map<String, FloatTensor> outputs) {
        return decoder.decode(outputs, model.descriptor().labels().size(), model.descriptor().input().width(),
                model.descriptor().input().height(), MIN_PROPOSAL_SCORE);
    }

    private float[][] labelScores(Map<String, FloatTensor> outputs) {
        return model.labelScores(new ForwardResult(outputs, null));
    }

    private Prediction prediction(Detection detection, ModelInput input) {
        List<String> labels = model.descriptor().labels();
        return new Prediction("detection", labels.get(detection.label()), detection.label(), detection.score(),
                Boxes.toOriginal(detection.box(), input.geometry()));
    }

    private static TargetExplanation explanation(Prediction prediction, SaliencyMap inputMap, ModelInput input,
            Faithfulness faithfulness) {
        SaliencyMap aligned = input.geometry().toOriginal(inputMap).normalized();
        return new TargetExplanation(prediction, aligned, faithfulness == null ? null : faithfulness.deletionAuc(),
                faithfulness == null ? null : faithfulness.insertionAuc());
    }

    private int resolveLabel(Object choice) {
        List<String> labels = model.descriptor().labels();
        String text = String.valueOf(choice).trim();
        int index = labels.indexOf(text);
        if (index < 0 && (choice instanceof Number || !text.isEmpty() && text.chars().allMatch(Character::isDigit))) {
            index = choice instanceof Number n ? n.intValue() : Integer.parseInt(text);
            if (index >= labels.size()) {
                index = -1;
            }
        }
        if (index < 0) {
            throw new IllegalArgumentException("class '" + text + "' is not a label of this model (labels: "
                    + String.join(", ", labels.subList(0, Math.min(20, labels.size())))
                    + (labels.size() > 20 ? ", ..." : "") + ")");
        }
        return index;
    }

    private static String samplingNote(String method, MaskedSaliency.Result result, MaskedSaliency.Settings settings) {
        return result.stoppedEarly()
                ? String.format(Locale.ROOT, "%s: maps converged after %d of %d masks (correlation %.4f), batch %d",
                        method, result.masksUsed(), settings.masks(), result.correlation(), result.batch())
                : String.format(Locale.ROOT, "%s: %d masks, batch %d", method, result.masksUsed(), result.batch());
    }

    private static String format(double threshold) {
        String text = Double.toString(threshold);
        return text.endsWith(".0") ? text.substring(0, text.length() - 2) : text;
    }

    private static long elapsedMs(long startNanos) {
        return (System.nanoTime() - startNanos) / 1_000_000;
    }
}
