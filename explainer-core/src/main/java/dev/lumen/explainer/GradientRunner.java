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
import dev.lumen.explainer.model.ModelDescriptor;
import dev.lumen.explainer.model.ModelLoadException;
import dev.lumen.explainer.model.TargetLayer;
import dev.lumen.explainer.targets.Target;
import dev.lumen.explainer.targets.TargetSelection;
import dev.lumen.explainer.tasks.TaskAdapter;
import dev.lumen.render.SaliencyMap;
import java.awt.image.BufferedImage;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;

/**
 * Runs the gradient family on images. One explanation costs about one forward pass: a single run
 * yields the predictions and the target layer's activations, then one short run per batch of
 * targets feeds those activations back in and differentiates only the layers after them. Several
 * images share both runs.
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
        return explainAll(adapter, List.of(image), parameters, chosenLabel, new long[] {maskSeed},
                List.of(groundTruth)).get(0);
    }

    /**
     * Explains several images as {@link #explain} does each, in one batched forward run and one batched
     * gradient run per output role for all their targets (decision 0083). Each image's outcome is its
     * own: one whose target has no output element is unavailable alone. An image's explain time is its
     * share of the shared runs plus its own metrics.
     *
     * @param maskSeeds per image, the seed of the black-box method's masks
     * @param groundTruths per image, the objects known to be in it
     */
    <D> List<Outcome> explainAll(TaskAdapter<D> adapter, List<BufferedImage> images, Parameters parameters,
            Integer chosenLabel, long[] maskSeeds, List<List<ImageObject>> groundTruths) {
        long start = System.nanoTime();
        TargetLayer layer;
        try {
            layer = model.targetLayer(parameters.string(MethodCatalogue.TARGET_LAYER), adapter.gradientRoles(model),
                    adapter.minLayerCells());
        } catch (ModelLoadException e) {
            // No spatial activation to explain at.
            return unavailable(images.size(), e.getMessage());
        }
        List<ModelInput> inputs = images.stream().map(model.preprocessor()::prepare).toList();
        ForwardResult forward = model.forward(inputs, layer);
        List<ForwardResult> perImage = new ArrayList<>(images.size());
        for (int i = 0; i < images.size(); i++) {
            perImage.add(forward.sample(i));
        }
        List<Seeded<D>> plans = new ArrayList<>(images.size());
        List<String> roles = new ArrayList<>();
        List<float[]> seeds = new ArrayList<>();
        List<Integer> imageOfSeed = new ArrayList<>();
        for (int i = 0; i < images.size(); i++) {
            Seeded<D> plan = seeded(adapter, inputs.get(i), perImage.get(i), parameters, chosenLabel,
                    groundTruths.get(i));
            plans.add(plan);
            for (int t = 0; t < plan.targets().size(); t++) {
                roles.add(plan.roles().get(t));
                seeds.add(plan.seeds().get(t));
                imageOfSeed.add(i);
            }
        }
        List<SaliencyMap> inputMaps;
        try {
            inputMaps = seeds.isEmpty() ? List.of() : inputSpaceMaps(CamMethods.of(parameters.method()), layer,
                    inputs, forward, roles, seeds, imageOfSeed.stream().mapToInt(Integer::intValue).toArray());
        } catch (ModelLoadException e) {
            // Gradients cannot be added (e.g. an op without a registered gradient).
            return unavailable(images.size(), e.getMessage());
        }
        long sharedNanos = (System.nanoTime() - start) / images.size();
        List<Outcome> outcomes = new ArrayList<>(images.size());
        int next = 0;
        for (int i = 0; i < images.size(); i++) {
            Seeded<D> plan = plans.get(i);
            List<SaliencyMap> maps = inputMaps.subList(next, next + plan.targets().size());
            next += plan.targets().size();
            outcomes.add(plan.unavailable() != null ? new Outcome(null, plan.unavailable())
                    : finish(adapter, plan, maps, inputs.get(i), perImage.get(i), layer, parameters, maskSeeds[i],
                            groundTruths.get(i), sharedNanos));
        }
        return outcomes;
    }

    /**
     * One image's targets and, for those an output element stands for, the seed to differentiate.
     *
     * @param targets the targets with a seed, in order
     * @param roles per such target, the output role its seed weighs
     * @param seeds per such target, a weight per element of the image's output
     * @param unseeded error targets without an output element (explained by the black-box method)
     * @param unavailable why the gradient method cannot explain this image, or null
     */
    private record Seeded<D>(ImageTargets<D> selected, List<Target<D>> targets, List<String> roles,
            List<float[]> seeds, List<Target<D>> unseeded, String unavailable) {
    }

    private <D> Seeded<D> seeded(TaskAdapter<D> adapter, ModelInput input, ForwardResult forward, Parameters parameters,
            Integer chosenLabel, List<ImageObject> groundTruth) {
        ImageTargets<D> selected = ImageTargets.select(adapter, model.descriptor().labels(),
                adapter.decode(forward.outputs(), input).get(0), chosenLabel, input.geometry(), groundTruth,
                parameters.bool(MethodCatalogue.EXPLAIN_ERRORS));
        List<Target<D>> seeded = new ArrayList<>();
        List<Target<D>> unseeded = new ArrayList<>();
        List<String> roles = new ArrayList<>();
        List<float[]> seeds = new ArrayList<>();
        for (Target<D> target : selected.selection().targets()) {
            String role = target.gradientRole(model.explainedRole());
            FloatTensor output = forward.outputs().get(role);
            Optional<float[]> seed = output == null ? Optional.empty() : target.gradientSeed(output.sampleSize());
            if (seed.isEmpty() && target.role() != null) {
                unseeded.add(target);
                continue;
            }
            if (seed.isEmpty()) {
                return new Seeded<>(selected, List.of(), List.of(), List.of(), List.of(),
                        "a " + target.prediction().kind() + " has no output element to differentiate");
            }
            seeded.add(target);
            roles.add(role);
            seeds.add(seed.get());
        }
        return new Seeded<>(selected, seeded, roles, seeds, unseeded, null);
    }

    /** One image's explanation from its targets' maps: metrics, then the black-box maps of unseeded errors. */
    private <D> Outcome finish(TaskAdapter<D> adapter, Seeded<D> plan, List<SaliencyMap> inputMaps, ModelInput input,
            ForwardResult forward, TargetLayer layer, Parameters parameters, long maskSeed,
            List<ImageObject> groundTruth, long sharedNanos) {
        long start = System.nanoTime() - sharedNanos;
        TargetSelection<D> selection = plan.selected().selection();
        if (selection.targets().isEmpty()) {
            return new Outcome(new ExplainResult(selection.predictions(), List.of(), layer.name(),
                    selection.skippedReason(), Explainer.elapsedMs(start), 1)
                    .withEvaluation(plan.selected().evaluation()), null);
        }
        long forwardPasses = 1;
        List<TargetExplanation> explanations = new ArrayList<>();
        MapGrid layerGrid = plan.targets().isEmpty() ? null : layerGrid(layer, forward, input);
        for (int t = 0; t < plan.targets().size(); t++) {
            TargetMaps.Finished finished = targetMaps.finish(adapter, plan.targets().get(t), inputMaps.get(t), input,
                    parameters, groundTruth, layerGrid);
            explanations.add(finished.explanation());
            forwardPasses += finished.forwardPasses();
        }
        List<String> notes = new ArrayList<>();
        long masksUsed = 0;
        int batch = 1;
        List<Target<D>> unseeded = plan.unseeded();
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
                        sampled.maps().get(t).normalized(), input, parameters, groundTruth,
                        MapGrid.evenly(sampling.integer(MethodCatalogue.GRID), input.width(), input.height()));
                explanations.add(finished.explanation());
                forwardPasses += finished.forwardPasses();
            }
        }
        return new Outcome(new ExplainResult(selection.predictions(), explanations, layer.name(), null,
                Explainer.elapsedMs(start), forwardPasses, notes, masksUsed, batch, plan.selected().evaluation()), null);
    }

    private static List<Outcome> unavailable(int images, String why) {
        return Collections.nCopies(images, new Outcome(null, why));
    }

    /**
     * One map per seed at the model input's resolution. Seeds of one output role are differentiated
     * in one batched run, whichever image they are of (a detector's detections usually all come from
     * one output).
     */
    private List<SaliencyMap> inputSpaceMaps(CamMethod method, TargetLayer layer, List<ModelInput> inputs,
            ForwardResult forward, List<String> roles, List<float[]> seeds, int[] imageOfSeed) {
        float[][] perSeed = new float[seeds.size()][];
        long[] gradientShape = null;
        for (String role : new LinkedHashSet<>(roles)) {
            List<Integer> indices = new ArrayList<>();
            for (int t = 0; t < roles.size(); t++) {
                if (roles.get(t).equals(role)) {
                    indices.add(t);
                }
            }
            FloatTensor part = model.layerGradients(inputs, layer, forward, role,
                    indices.stream().map(seeds::get).toList(), indices.stream().mapToInt(t -> imageOfSeed[t]).toArray());
            gradientShape = part.sampleShape();
            for (int k = 0; k < indices.size(); k++) {
                perSeed[indices.get(k)] = part.sample(k);
            }
        }
        FloatTensor gradients = FloatTensor.stack(gradientShape, Arrays.asList(perSeed));
        FloatTensor activations = forward.activations();
        ModelDescriptor.Layout layout = model.descriptor().input().layout();
        LayerMaps[] activationMaps = new LayerMaps[inputs.size()];
        List<SaliencyMap> maps = new ArrayList<>();
        for (int t = 0; t < seeds.size(); t++) {
            int image = imageOfSeed[t];
            if (activationMaps[image] == null) {
                activationMaps[image] = LayerMaps.of(activations.sample(image), activations.sampleShape(), layout);
            }
            LayerMaps gradientMaps = LayerMaps.of(gradients.sample(t), gradients.sampleShape(), layout);
            SaliencyMap layerMap = new SaliencyMap(method.cam(activationMaps[image], gradientMaps),
                    activationMaps[image].width(), activationMaps[image].height());
            ModelInput input = inputs.get(image);
            maps.add(geometry(layer, layerMap.width(), layerMap.height(), input)
                    .toInput(layerMap, input.width(), input.height()));
        }
        return maps;
    }

    /** The layer's cells in model-input pixels: each centred on its traced position, one stride wide. */
    private MapGrid layerGrid(TargetLayer layer, ForwardResult forward, ModelInput input) {
        LayerMaps activations = LayerMaps.of(forward.activations().sample(0), forward.activations().sampleShape(),
                model.descriptor().input().layout());
        LayerGeometry geometry = geometry(layer, activations.width(), activations.height(), input);
        return new MapGrid(geometry.offsetX() - geometry.strideX() / 2, geometry.offsetY() - geometry.strideY() / 2,
                geometry.strideX(), geometry.strideY());
    }

    /** The traced geometry, or the evenly spread one when the layer's size is only known at run time. */
    private static LayerGeometry geometry(TargetLayer layer, int layerWidth, int layerHeight, ModelInput input) {
        return layer.geometry() != null ? layer.geometry()
                : LayerGeometry.evenlySpread(layerWidth, layerHeight, input.width(), input.height());
    }
}
