package dev.lumen.explainer;

import dev.lumen.catalogue.MethodCatalogue;
import dev.lumen.catalogue.Parameters;
import dev.lumen.explainer.detection.Boxes;
import dev.lumen.explainer.metric.ContextTest;
import dev.lumen.explainer.metric.DeletionInsertion;
import dev.lumen.explainer.metric.Faithfulness;
import dev.lumen.explainer.model.LoadedModel;
import dev.lumen.explainer.model.ModelInput;
import dev.lumen.explainer.targets.Target;
import dev.lumen.explainer.tasks.TaskAdapter;
import dev.lumen.render.SaliencyMap;
import java.util.Comparator;
import java.util.List;

/**
 * Turns a target's map in model-input space into its reported explanation, whichever method made
 * it: the faithfulness metrics (the target's score on deleted and inserted copies of the input),
 * the map and the target's region aligned to the original image.
 */
final class TargetMaps {

    /** How many perturbed images the faithfulness metrics send per model run. */
    private static final int METRIC_BATCH = 32;
    /** Least IoU at which a ground-truth object is the reference box of a boxed prediction. */
    static final double REFERENCE_IOU = 0.5;

    /**
     * One target's explanation and the forward passes its metrics cost.
     *
     * @param explanation what is reported
     * @param forwardPasses images the metrics ran through the model
     */
    record Finished(TargetExplanation explanation, long forwardPasses) {
    }

    private final LoadedModel model;

    TargetMaps(LoadedModel model) {
        this.model = model;
    }

    /**
     * The explanation of {@code target} from its map at the model input's resolution.
     *
     * @param groundTruth objects known to be in the image (the dataset's ground truth): the context test's
     *     reference boxes where one has the target's label, else the target's own box
     * @param inputGrid the map's native grid in model-input pixels, or null
     */
    <D> Finished finish(TaskAdapter<D> adapter, Target<D> target, SaliencyMap inputMap, ModelInput input,
            Parameters parameters, List<ImageObject> groundTruth, MapGrid inputGrid) {
        Double deletion = null;
        Double insertion = null;
        long forwardPasses = 0;
        if (parameters.bool(MethodCatalogue.METRICS)) {
            DeletionInsertion metric = new DeletionInsertion(parameters.integer(MethodCatalogue.METRIC_STEPS),
                    Math.min(METRIC_BATCH, model.maxBatch()));
            Faithfulness faithfulness = metric.evaluate(input, inputMap, inputs -> scores(adapter, target, inputs));
            deletion = faithfulness.deletionAuc();
            insertion = faithfulness.insertionAuc();
            forwardPasses = faithfulness.forwardPasses();
        }
        ContextTest.ContextScores context = null;
        if (parameters.bool(MethodCatalogue.CONTEXT_TEST)) {
            context = contextTest(adapter, target, input, groundTruth);
            forwardPasses += context == null ? 0 : ContextTest.ContextScores.FORWARD_PASSES;
        }
        SaliencyMap aligned = input.geometry().toOriginal(inputMap).normalized();
        SaliencyMap region = adapter.region(target, input);
        return new Finished(new TargetExplanation(target.prediction(), aligned, deletion, insertion,
                region == null ? null : input.geometry().toOriginal(region), context, target.role(),
                inputGrid == null ? null : inputGrid.toOriginal(input.geometry())), forwardPasses);
    }

    /**
     * The context test against the target's reference boxes: the ground truth's objects of its label (for
     * a boxed prediction, the one it overlaps most, IoU at least {@value #REFERENCE_IOU}), else its own box;
     * for an attribute on its object's crop, that object; null when it has neither (a class or tag
     * without ground truth, an attribute of the whole image).
     */
    private <D> ContextTest.ContextScores contextTest(TaskAdapter<D> adapter, Target<D> target, ModelInput input,
            List<ImageObject> groundTruth) {
        Prediction prediction = target.prediction();
        List<double[]> same = groundTruth.stream().filter(o -> prediction.label().equals(o.label()))
                .map(ImageObject::box).toList();
        List<double[]> boxes;
        String reference;
        if (prediction.box() == null && adapter.explainsObjects()) {
            // An attribute on its object's crop: the one object given is the object, whatever its label.
            boxes = groundTruth.stream().map(ImageObject::box).toList();
            reference = ContextTest.ContextScores.GROUND_TRUTH;
        } else if (prediction.box() == null) {
            boxes = same;
            reference = ContextTest.ContextScores.GROUND_TRUTH;
        } else {
            double[] best = same.stream().max(Comparator.comparingDouble(b -> Boxes.iou(b, prediction.box())))
                    .filter(b -> Boxes.iou(b, prediction.box()) >= REFERENCE_IOU).orElse(null);
            boxes = List.of(best != null ? best : prediction.box());
            reference = best != null ? ContextTest.ContextScores.GROUND_TRUTH : ContextTest.ContextScores.PREDICTION;
        }
        if (boxes.isEmpty()) {
            return null;
        }
        List<double[]> inputBoxes = boxes.stream().map(b -> Boxes.toInput(b, input.geometry())).toList();
        return ContextTest.measure(input, inputBoxes, reference, inputs -> scores(adapter, target, inputs));
    }

    private <D> double[] scores(TaskAdapter<D> adapter, Target<D> target, List<ModelInput> inputs) {
        return adapter.decode(model.forward(inputs, null).outputs(), inputs.get(0)).stream().mapToDouble(target::score).toArray();
    }
}
