package dev.lumen.explainer;

import dev.lumen.catalogue.MethodCatalogue;
import dev.lumen.catalogue.Method;
import dev.lumen.catalogue.Parameters;
import dev.lumen.explainer.method.MaskedSaliency;
import dev.lumen.explainer.method.CamMethod;
import dev.lumen.explainer.method.CamMethods;
import dev.lumen.explainer.method.LayerMaps;
import dev.lumen.explainer.model.FloatTensor;
import dev.lumen.explainer.model.ForwardResult;
import dev.lumen.explainer.model.LayerGeometry;
import dev.lumen.explainer.model.LoadedModel;
import dev.lumen.explainer.model.ModelInput;
import dev.lumen.explainer.model.ModelLoadException;
import dev.lumen.explainer.model.TargetLayer;
import dev.lumen.explainer.targets.Target;
import dev.lumen.explainer.targets.TargetSelection;
import dev.lumen.explainer.tasks.TaskAdapter;
import dev.lumen.render.SaliencyMap;
import java.awt.image.BufferedImage;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Runs the gradient family on one image. One explanation costs about one forward pass: a single run
 * yields the predictions and the target layer's activations, then one short run per batch of
 * targets feeds those activations back in and differentiates only the layers after them.
 */
final class GradientRunner {

    /**
     * What a gradient run gave: the result, or why the method cannot run on this model or target
     * (then the caller falls back to the task's black-box method).
     *
     * @param result the explanation, or null when unavailable
     * @param unavailable why not, or null
     */
    record Outcome(ExplainResult result, String unavailable) {
    }

    private final LoadedModel model;
    private final TargetMaps targetMaps;
    private final PerturbationRunner perturbations;

    GradientRunner(LoadedModel model, TargetMaps targetMaps, PerturbationRunner perturbations) {
        this.model = model;
        this.targetMaps = targetMaps;
        this.perturbations = perturbations;
    }

    /**
     * Explains one image. Error targets no output element stands for (a missed object: no proposal
     * predicted it) are explained with the task's black-box method, with a note; the predictions keep
     * the gradient method (decision 0071).
     *
     * @param maskSeed seed of the black-box method's masks, for such error targets
     */
    <D> Outcome explain(TaskAdapter<D> adapter, BufferedImage image, Parameters parameters, Integer chosenLabel,
            long maskSeed, List<ImageObject> groundTruth) {
        long start = System.nanoTime();
        TargetLayer layer;
        try {
            layer = model.targetLayer(parameters.string(MethodCatalogue.TARGET_LAYER), adapter.gradientRoles(model),
                    adapter.minLayerCells());
        } catch (ModelLoadException e) {
            // No spatial activation to explain at.
            return new Outcome(null, e.getMessage());
        }
        ModelInput input = model.preprocessor().prepare(image);
        ForwardResult forward = model.forward(List.of(input), layer);
        ImageTargets<D> selected = ImageTargets.select(adapter, model.descriptor().labels(),
                adapter.decode(forward.outputs(), input).get(0), chosenLabel, input.geometry(), groundTruth,
                parameters.bool(MethodCatalogue.EXPLAIN_ERRORS));
        TargetSelection<D> selection = selected.selection();
        if (selection.targets().isEmpty()) {
            return new Outcome(new ExplainResult(selection.predictions(), List.of(), layer.name(),
                    selection.skippedReason(), Explainer.elapsedMs(start), 1).withEvaluation(selected.evaluation()), null);
        }
        List<Target<D>> seeded = new ArrayList<>();
        List<Target<D>> unseeded = new ArrayList<>();
        List<String> roles = new ArrayList<>();
        List<float[]> seeds = new ArrayList<>();
        for (Target<D> target : selection.targets()) {
            String role = target.gradientRole(model.explainedRole());
            FloatTensor output = forward.outputs().get(role);
            Optional<float[]> seed = output == null ? Optional.empty() : target.gradientSeed(output.sampleSize());
            if (seed.isEmpty() && target.role() != null) {
                unseeded.add(target);
                continue;
            }
            if (seed.isEmpty()) {
                return new Outcome(null, "a " + target.prediction().kind() + " has no output element to differentiate");
            }
            seeded.add(target);
            roles.add(role);
            seeds.add(seed.get());
        }
        List<SaliencyMap> inputMaps;
        try {
            inputMaps = seeds.isEmpty() ? List.of()
                    : inputSpaceMaps(CamMethods.of(parameters.method()), layer, input, forward, roles, seeds);
        } catch (ModelLoadException e) {
            // Gradients cannot be added (e.g. an op without a registered gradient).
            return new Outcome(null, e.getMessage());
        }
        long forwardPasses = 1;
        List<TargetExplanation> explanations = new ArrayList<>();
        for (int t = 0; t < seeded.size(); t++) {
            TargetMaps.Finished finished = targetMaps.finish(adapter, seeded.get(t), inputMaps.get(t), input,
                    parameters, groundTruth);
            explanations.add(finished.explanation());
            forwardPasses += finished.forwardPasses();
        }
        List<String> notes = new ArrayList<>();
        long masksUsed = 0;
        int batch = 1;
        if (!unseeded.isEmpty()) {
            Method fallback = MethodCatalogue.fallback(adapter.task()).orElseThrow();
            Parameters sampling = parameters.forMethod(fallback);
            MaskedSaliency.Result sampled = perturbations.sample(adapter, input, unseeded, sampling, maskSeed);
            notes.add(unseeded.size() + " error target(s) without an output element to differentiate explained with "
                    + fallback.id() + "; " + PerturbationRunner.samplingNote(fallback.id(), sampled, sampling, maskSeed));
            masksUsed = sampled.masksUsed();
            batch = sampled.batch();
            forwardPasses += masksUsed;
            for (int t = 0; t < unseeded.size(); t++) {
                TargetMaps.Finished finished = targetMaps.finish(adapter, unseeded.get(t),
                        sampled.maps().get(t).normalized(), input, parameters, groundTruth);
                explanations.add(finished.explanation());
                forwardPasses += finished.forwardPasses();
            }
        }
        return new Outcome(new ExplainResult(selection.predictions(), explanations, layer.name(), null,
                Explainer.elapsedMs(start), forwardPasses, notes, masksUsed, batch, selected.evaluation()), null);
    }

    /**
     * One map per seed at the model input's resolution. Seeds of one output role are differentiated
     * in one batched run (a detector's detections usually all come from one output).
     */
    private List<SaliencyMap> inputSpaceMaps(CamMethod method, TargetLayer layer, ModelInput input, ForwardResult forward,
            List<String> roles, List<float[]> seeds) {
        float[][] perSeed = new float[seeds.size()][];
        long[] gradientShape = null;
        for (String role : new java.util.LinkedHashSet<>(roles)) {
            List<Integer> indices = new ArrayList<>();
            for (int t = 0; t < roles.size(); t++) {
                if (roles.get(t).equals(role)) {
                    indices.add(t);
                }
            }
            FloatTensor part = model.layerGradients(input, layer, forward, role,
                    indices.stream().map(seeds::get).toList());
            gradientShape = part.sampleShape();
            for (int k = 0; k < indices.size(); k++) {
                perSeed[indices.get(k)] = part.sample(k);
            }
        }
        FloatTensor gradients = FloatTensor.stack(gradientShape, java.util.Arrays.asList(perSeed));
        FloatTensor activations = forward.activations();
        LayerMaps activationMaps = LayerMaps.of(activations.sample(0), activations.sampleShape(),
                model.descriptor().input().layout());
        List<SaliencyMap> maps = new ArrayList<>();
        for (int t = 0; t < seeds.size(); t++) {
            LayerMaps gradientMaps = LayerMaps.of(gradients.sample(t), gradients.sampleShape(),
                    model.descriptor().input().layout());
            SaliencyMap layerMap = new SaliencyMap(method.cam(activationMaps, gradientMaps), activationMaps.width(),
                    activationMaps.height());
            maps.add(geometry(layer, layerMap, input).toInput(layerMap, input.width(), input.height()));
        }
        return maps;
    }

    /** The traced geometry, or the evenly spread one when the layer's size is only known at run time. */
    private static LayerGeometry geometry(TargetLayer layer, SaliencyMap layerMap, ModelInput input) {
        return layer.geometry() != null ? layer.geometry()
                : LayerGeometry.evenlySpread(layerMap.width(), layerMap.height(), input.width(), input.height());
    }
}
