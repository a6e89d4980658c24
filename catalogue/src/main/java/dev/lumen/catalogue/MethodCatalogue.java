package dev.lumen.catalogue;

import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Every explanation method Lumen offers, the parameters each takes and the tasks each explains:
 * the one place a method or parameter is declared. The explainer dispatches from it, run-service
 * checks runs against it and serves it as {@code GET /api/methods}, the CLIs build their usage
 * from it, and a test keeps the README's tables equal to it.
 *
 * <p>A new method is one entry here (plus, for a gradient method, the class it names).
 */
public final class MethodCatalogue {

    /**
     * Tasks whose models give a differentiable score per label, pixel or detection over spatial
     * activations (a detection's score is its own output element: its row, query or point).
     */
    private static final Set<Task> GRADIENT_TASKS = EnumSet.of(Task.CLASSIFICATION, Task.MULTILABEL, Task.ATTRIBUTES,
            Task.SEMANTIC_SEGMENTATION, Task.DETECTION, Task.INSTANCE_SEGMENTATION);
    private static final Set<Task> LABEL_TASKS = EnumSet.of(Task.CLASSIFICATION, Task.MULTILABEL, Task.ATTRIBUTES);
    private static final Set<Task> DETECTION_TASKS = EnumSet.of(Task.DETECTION, Task.INSTANCE_SEGMENTATION);
    private static final String CAM_CLASSES = "dev.lumen.explainer.method.";

    /** The layer whose activations gradient methods explain at. */
    public static final Parameter TARGET_LAYER = Parameter.string("targetLayer",
            "the layer to explain at, as op or op:index",
            "the descriptor's targetLayer, else the last spatial layer found in the graph");
    /** A label to explain whatever its score ("why not this class?"). */
    public static final Parameter CLASS = Parameter.label("class",
            "explain this label (name or index) whatever its score",
            "the top class; every tag, attribute or object at or above the model's threshold");
    /** Whether deletion and insertion AUC are computed. */
    public static final Parameter METRICS = Parameter.bool("metrics", true, "compute deletion and insertion AUC");
    /** Steps of the deletion and insertion curves. */
    public static final Parameter METRIC_STEPS = Parameter.integer("metricSteps", 16, 2, 256,
            "steps of the deletion and insertion curves");
    /**
     * Whether each target is scored again with its context and with its object blurred away (two forward
     * passes per target with a reference box), the insights' context test.
     */
    public static final Parameter CONTEXT_TEST = Parameter.bool("contextTest", true,
            "score each target with everything outside its box blurred, and with its box blurred (two forward passes)");
    /**
     * Whether an image's errors against its ground truth are explained as targets beside its predictions:
     * missed objects and tags, the true class of a wrong classification (decision 0071).
     */
    public static final Parameter EXPLAIN_ERRORS = Parameter.bool("explainErrors", true,
            "explain each missed ground-truth object or tag, and the true class of a wrong classification, as a target")
            .onlyFor(EnumSet.of(Task.CLASSIFICATION, Task.MULTILABEL, Task.DETECTION, Task.INSTANCE_SEGMENTATION));
    /** Context added around each object before an attribute model sees its crop. */
    public static final Parameter CROP_MARGIN = Parameter.number("cropMargin", 0.25, Range.closed(0, 2),
            "share of an object's width (height) added as context left and right (above and below) of its crop")
            .onlyFor(EnumSet.of(Task.ATTRIBUTES));
    /** Most masks a perturbation method draws. */
    public static final Parameter MASKS = Parameter.integer("masks", 2000, 1, 100_000, "most masks to draw");
    /** Mask grid cells per side. */
    public static final Parameter GRID = Parameter.integer("grid", 7, 2, 64, "mask grid cells per side");
    /** Probability that a mask cell stays visible. */
    public static final Parameter P = Parameter.number("p", 0.5, Range.open(0, 1),
            "probability that a mask cell stays visible");
    /** Preferred masked images per model run. */
    public static final Parameter BATCH = Parameter.integer("batch", 32, 1, 1024,
            "preferred masked images per model run");
    /** Whether sampling stops once the maps have converged. */
    public static final Parameter EARLY_STOP = Parameter.bool("earlyStop", true,
            "stop drawing masks once the maps have converged");
    /** Predicted correlation with the full budget's map at which sampling stops. */
    public static final Parameter STOP_CORRELATION = Parameter.number("stopCorrelation", 0.96, Range.openClosed(0, 1),
            "predicted correlation with the map of all masks at which sampling stops");
    /** How masks depend on one another. */
    public static final Parameter SAMPLING = Parameter.choice("sampling", List.of("orthogonal", "independent"),
            "how masks depend on one another (orthogonal blocks cut the maps' noise)",
            "orthogonal when p = 0.5, else independent");

    private static final List<Parameter> GRADIENT_PARAMETERS = List.of(TARGET_LAYER, CLASS, METRICS, METRIC_STEPS,
            CONTEXT_TEST, EXPLAIN_ERRORS, CROP_MARGIN);
    private static final List<ParameterRule> NO_RULES = List.of();
    /** Orthogonal blocks pair each mask with its complement, which only exists when a cell is kept half the time. */
    private static final ParameterRule ORTHOGONAL_NEEDS_HALF = values -> {
        if ("orthogonal".equals(values.string(SAMPLING)) && values.number(P) != 0.5) {
            throw new InvalidParameterException(SAMPLING.name(), "parameter sampling=orthogonal needs p = 0.5, got p = "
                    + values.number(P));
        }
    };

    /** Grad-CAM. */
    public static final Method GRADCAM = new Method("gradcam", "Grad-CAM", Family.GRADIENT, GRADIENT_TASKS,
            GRADIENT_PARAMETERS, NO_RULES, CAM_CLASSES + "GradCam",
            "feature maps weighted by their mean gradient (Selvaraju et al., 2017)");
    /** Grad-CAM++. */
    public static final Method GRADCAM_PLUS_PLUS = new Method("gradcam++", "Grad-CAM++", Family.GRADIENT,
            GRADIENT_TASKS, GRADIENT_PARAMETERS, NO_RULES, CAM_CLASSES + "GradCamPlusPlus",
            "feature maps weighted by positive gradients with per-position coefficients (Chattopadhay et al., 2018)");
    /** HiResCAM. */
    public static final Method HIRESCAM = new Method("hirescam", "HiResCAM", Family.GRADIENT, GRADIENT_TASKS,
            GRADIENT_PARAMETERS, NO_RULES, CAM_CLASSES + "HiResCam",
            "gradient times activation, summed over channels (Draelos and Carin, 2020)");
    /** XGrad-CAM. */
    public static final Method XGRADCAM = new Method("xgradcam", "XGrad-CAM", Family.GRADIENT, GRADIENT_TASKS,
            GRADIENT_PARAMETERS, NO_RULES, CAM_CLASSES + "XGradCam",
            "feature maps weighted by their activation-weighted mean gradient (Fu et al., 2020)");
    /** LayerCAM. */
    public static final Method LAYERCAM = new Method("layercam", "LayerCAM", Family.GRADIENT, GRADIENT_TASKS,
            GRADIENT_PARAMETERS, NO_RULES, CAM_CLASSES + "LayerCam",
            "activations weighted position by position by their positive gradient (Jiang et al., 2021)");
    /**
     * ODAM: HiResCAM's formula seeded with one detection's own score element, named as detector users
     * know it; every gradient method seeds detections that way.
     */
    public static final Method ODAM = new Method("odam", "ODAM", Family.GRADIENT, DETECTION_TASKS,
            GRADIENT_PARAMETERS, NO_RULES, CAM_CLASSES + "HiResCam",
            "one detection's score gradient times activation, summed over channels (Zhao et al., 2023)");
    /** RISE: the black-box method for label-scoring models, and their fallback. */
    public static final Method RISE = new Method("rise", "RISE", Family.PERTURBATION, LABEL_TASKS,
            perturbationParameters(2000, 7), List.of(ORTHOGONAL_NEEDS_HALF), null,
            "mean of random masks weighted by the label's score on the masked image (Petsiuk et al., 2018)");
    /** D-RISE: the black-box method for detectors and instance segmenters. */
    public static final Method DRISE = new Method("drise", "D-RISE", Family.PERTURBATION, DETECTION_TASKS,
            perturbationParameters(5000, 16), List.of(ORTHOGONAL_NEEDS_HALF), null,
            "mean of random masks weighted by the masked image's best match to the detection (Petsiuk et al., 2021)");

    private static final List<Method> METHODS = List.of(GRADCAM, GRADCAM_PLUS_PLUS, HIRESCAM, XGRADCAM, LAYERCAM, ODAM, RISE,
            DRISE);
    /** The black-box method a task falls back to when a gradient method cannot run on its model. */
    private static final Map<Task, Method> FALLBACKS = Map.of(Task.CLASSIFICATION, RISE, Task.MULTILABEL, RISE,
            Task.ATTRIBUTES, RISE, Task.DETECTION, DRISE, Task.INSTANCE_SEGMENTATION, DRISE);

    private MethodCatalogue() {
    }

    private static List<Parameter> perturbationParameters(int masks, int grid) {
        return List.of(CLASS, METRICS, METRIC_STEPS, CONTEXT_TEST, EXPLAIN_ERRORS, CROP_MARGIN, MASKS.withDefault(masks),
                GRID.withDefault(grid), P,
                BATCH, EARLY_STOP, STOP_CORRELATION, SAMPLING);
    }

    /** Every method, in the order the catalogue lists them. */
    public static List<Method> methods() {
        return METHODS;
    }

    /** The method called {@code id}, if any. */
    public static Optional<Method> byId(String id) {
        return METHODS.stream().filter(m -> m.id().equals(id)).findFirst();
    }

    /**
     * The method called {@code id}.
     *
     * @throws IllegalArgumentException naming the methods there are
     */
    public static Method require(String id) {
        return byId(id).orElseThrow(() -> new IllegalArgumentException("unknown method '" + id + "'; allowed: "
                + ids()));
    }

    /** Every method id, comma-separated. */
    public static String ids() {
        return METHODS.stream().map(Method::id).collect(Collectors.joining(", "));
    }

    /** The methods that explain {@code task}, in catalogue order. */
    public static List<Method> methodsFor(Task task) {
        return METHODS.stream().filter(m -> m.explains(task)).toList();
    }

    /** The ids of the methods that explain {@code task}, comma-separated. */
    public static String idsFor(Task task) {
        return methodsFor(task).stream().map(Method::id).collect(Collectors.joining(", "));
    }

    /** The black-box method used when a gradient method cannot run on a model of {@code task}; none for segmenters. */
    public static Optional<Method> fallback(Task task) {
        return Optional.ofNullable(FALLBACKS.get(task));
    }

    /**
     * Checks a run's method and parameters for a model of {@code task}: the typed values, or an
     * exception naming what is wrong.
     *
     * @throws IllegalArgumentException for an unknown method or one that does not explain the task
     * @throws InvalidParameterException for a bad parameter, naming it
     */
    public static Parameters check(String methodId, Task task, Map<String, ?> parameters) {
        return Parameters.of(require(methodId), task, parameters);
    }
}
