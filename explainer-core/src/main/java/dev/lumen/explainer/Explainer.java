package dev.lumen.explainer;

import dev.lumen.catalogue.Family;
import dev.lumen.catalogue.LabelChoice;
import dev.lumen.catalogue.Method;
import dev.lumen.catalogue.MethodCatalogue;
import dev.lumen.catalogue.Parameters;
import dev.lumen.catalogue.Task;
import dev.lumen.explainer.model.LoadedModel;
import dev.lumen.explainer.model.ModelRunException;
import dev.lumen.explainer.tasks.TaskAdapter;
import java.awt.image.BufferedImage;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Explains images for one loaded model: the entry point of the worker service and the CLI. The
 * method comes from the {@link MethodCatalogue}, which checks the parameters; the model's
 * {@link TaskAdapter} decodes its outputs and chooses targets; the method's family runs.
 *
 * <p>Thread-safe: one instance may serve concurrent requests (TensorFlow runs them in parallel).
 */
public final class Explainer {

    private final LoadedModel model;
    private final TaskAdapter<?> adapter;
    private final GradientRunner gradients;
    private final PerturbationRunner perturbations;

    /** An explainer for {@code model}. */
    public Explainer(LoadedModel model) {
        this.model = model;
        this.adapter = TaskAdapter.of(model);
        TargetMaps targetMaps = new TargetMaps(model);
        this.perturbations = new PerturbationRunner(model, targetMaps);
        this.gradients = new GradientRunner(model, targetMaps, perturbations);
    }

    /**
     * What will run: the method, its checked parameters, and a note when it replaces the method asked for.
     *
     * @param parameters the method's parameters for the model's task
     * @param note why another method runs, or null
     */
    private record Plan(Parameters parameters, String note) {
    }

    /**
     * Explains one image. For attribute models each of {@link ExplainOptions#objects()} (or the
     * whole image) is explained on its own crop, and maps are placed back into the whole image.
     *
     * @throws IllegalArgumentException for an unknown method, one that cannot explain the model's
     *     task, a bad parameter ({@link dev.lumen.catalogue.InvalidParameterException}) or an object
     *     outside the image (the message names the allowed values or the object)
     * @throws ModelRunException when TensorFlow fails on the input
     */
    public ExplainResult explain(BufferedImage image, ExplainOptions options) {
        Plan plan = plan(MethodCatalogue.require(options.method()), options.parameters());
        Integer chosenLabel = chosenLabel(plan.parameters());
        long seed = options.seed() == null ? 0 : options.seed();
        if (adapter.explainsObjects()) {
            return PerObjectExplanation.explain(image, options.objects(),
                    plan.parameters().number(MethodCatalogue.CROP_MARGIN),
                    (crop, object) -> explainImage(adapter, crop, plan, chosenLabel, seed, null,
                            object == null ? List.of() : List.of(object)));
        }
        return explainImage(adapter, image, plan, chosenLabel, seed, options.previews(), options.objects());
    }

    /**
     * Explains several images with one method and one set of parameters, each as {@link #explain}
     * would: gradient methods run them through one batched forward run and one batched gradient run
     * (decision 0083); other methods, and attribute models' per-object crops, explain them one after
     * the other. Results come in the images' order.
     *
     * @param options per image; all of one method and the same parameters
     * @throws IllegalArgumentException as {@link #explain}, for any of the images, or when the options
     *     differ in method or parameters; callers that need each image's own failure explain them one
     *     by one
     * @throws ModelRunException when TensorFlow fails on the batch
     */
    public List<ExplainResult> explainAll(List<BufferedImage> images, List<ExplainOptions> options) {
        if (images.size() != options.size()) {
            throw new IllegalArgumentException(images.size() + " images but " + options.size() + " options");
        }
        if (images.isEmpty()) {
            return List.of();
        }
        ExplainOptions first = options.get(0);
        for (ExplainOptions other : options) {
            if (!other.method().equals(first.method()) || !other.parameters().equals(first.parameters())) {
                throw new IllegalArgumentException("one batch explains with one method and one set of parameters");
            }
        }
        Plan plan = plan(MethodCatalogue.require(first.method()), first.parameters());
        if (images.size() == 1 || plan.parameters().method().family() != Family.GRADIENT || adapter.explainsObjects()) {
            List<ExplainResult> results = new ArrayList<>(images.size());
            for (int i = 0; i < images.size(); i++) {
                results.add(explain(images.get(i), options.get(i)));
            }
            return results;
        }
        long[] seeds = options.stream().mapToLong(o -> o.seed() == null ? 0 : o.seed()).toArray();
        List<GradientRunner.Outcome> outcomes = gradients.explainAll(adapter, images, plan.parameters(),
                chosenLabel(plan.parameters()), seeds, options.stream().map(ExplainOptions::objects).toList());
        List<ExplainResult> results = new ArrayList<>(images.size());
        for (int i = 0; i < images.size(); i++) {
            results.add(outcomes.get(i).result() != null ? outcomes.get(i).result()
                    : fallBack(adapter, images.get(i), plan, chosenLabel(plan.parameters()), seeds[i],
                            options.get(i).previews(), options.get(i).objects(), outcomes.get(i).unavailable()));
        }
        return results;
    }

    /** The loaded model this explainer runs. */
    public LoadedModel model() {
        return model;
    }

    /**
     * A gradient method asked of a task it does not list (ODAM, whose seed is a detection, on a
     * classifier) runs as the task's black-box method, with a note; any other mismatch is refused by
     * the catalogue.
     */
    private Plan plan(Method method, Map<String, Object> raw) {
        Task task = adapter.task();
        Optional<Method> fallback = MethodCatalogue.fallback(task);
        if (!method.explains(task) && method.family() == Family.GRADIENT && fallback.isPresent()) {
            return new Plan(Parameters.taken(fallback.get(), task, raw), method.id() + " does not explain task "
                    + task.id() + "; explained with " + fallback.get().id());
        }
        return new Plan(Parameters.of(method, task, raw), null);
    }

    private Integer chosenLabel(Parameters parameters) {
        Object choice = parameters.value(MethodCatalogue.CLASS);
        return choice == null ? null : LabelChoice.resolve(model.descriptor().labels(), choice);
    }

    private <D> ExplainResult explainImage(TaskAdapter<D> adapter, BufferedImage image, Plan plan, Integer chosenLabel,
            long seed, PreviewListener previews, List<ImageObject> groundTruth) {
        Parameters parameters = plan.parameters();
        if (parameters.method().family() == Family.PERTURBATION) {
            return perturbations.explain(adapter, image, parameters, chosenLabel, seed, plan.note(), previews, groundTruth);
        }
        GradientRunner.Outcome outcome = gradients.explain(adapter, image, parameters, chosenLabel, seed, groundTruth);
        if (outcome.result() != null) {
            return outcome.result();
        }
        return fallBack(adapter, image, plan, chosenLabel, seed, previews, groundTruth, outcome.unavailable());
    }

    /** The task's black-box method in place of a gradient method that is {@code unavailable} on this image. */
    private <D> ExplainResult fallBack(TaskAdapter<D> adapter, BufferedImage image, Plan plan, Integer chosenLabel,
            long seed, PreviewListener previews, List<ImageObject> groundTruth, String unavailable) {
        Parameters parameters = plan.parameters();
        String reason = parameters.method().id() + " unavailable (" + unavailable + ")";
        Method fallback = MethodCatalogue.fallback(adapter.task()).orElseThrow(() -> new ModelRunException(reason
                + "; " + adapter.task().id() + " models have no black-box fallback"));
        return perturbations.explain(adapter, image, parameters.forMethod(fallback), chosenLabel, seed,
                reason + "; explained with " + fallback.id(), previews, groundTruth);
    }

    static long elapsedMs(long startNanos) {
        return (System.nanoTime() - startNanos) / 1_000_000;
    }
}
