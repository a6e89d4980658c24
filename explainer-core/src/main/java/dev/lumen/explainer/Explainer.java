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
        String reason = parameters.method().id() + " unavailable (" + outcome.unavailable() + ")";
        Method fallback = MethodCatalogue.fallback(adapter.task()).orElseThrow(() -> new ModelRunException(reason
                + "; " + adapter.task().id() + " models have no black-box fallback"));
        return perturbations.explain(adapter, image, parameters.forMethod(fallback), chosenLabel, seed,
                reason + "; explained with " + fallback.id(), previews, groundTruth);
    }

    static long elapsedMs(long startNanos) {
        return (System.nanoTime() - startNanos) / 1_000_000;
    }
}
