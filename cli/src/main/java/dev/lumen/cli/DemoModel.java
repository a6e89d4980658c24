package dev.lumen.cli;

import dev.lumen.catalogue.Method;
import dev.lumen.catalogue.MethodCatalogue;
import dev.lumen.catalogue.Task;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * The models {@code ./lumen demo} can explain: real pretrained models from the demo assets (the
 * default), or the Java-trained fixture that needs no download.
 *
 * @see RealDemoAssets
 * @see DemoAssets
 */
enum DemoModel {
    /** NanoDet, a COCO detector, explained with D-RISE. */
    DETECTOR("nanodet", Task.DETECTION, MethodCatalogue.DRISE, 6),
    /** The nsfwjs MobileNetV2 image classifier, explained with Grad-CAM. */
    CLASSIFIER("nsfwjs", Task.CLASSIFICATION, MethodCatalogue.GRADCAM, 12),
    /** MediaPipe's selfie person segmenter, explained with Grad-CAM. */
    SEGMENTER("selfie", Task.SEMANTIC_SEGMENTATION, MethodCatalogue.GRADCAM, 12),
    /**
     * GEAR's gender and age heads on the faces of the demo portraits, explained with Grad-CAM. Its
     * crop margin is the face context the Human library gives it (docs/decisions/0081).
     */
    ATTRIBUTER("gear", Task.ATTRIBUTES, MethodCatalogue.GRADCAM, 3, Map.of(MethodCatalogue.CROP_MARGIN.name(), 0.1)),
    /** The small CNN trained in Java on synthetic squares and stripes. */
    FIXTURE(DemoAssets.MODEL_ID, Task.CLASSIFICATION, MethodCatalogue.GRADCAM, 12);

    private final String modelId;
    private final Task task;
    private final Method defaultMethod;
    private final int defaultImages;
    private final Map<String, Object> parameters;

    DemoModel(String modelId, Task task, Method defaultMethod, int defaultImages) {
        this(modelId, task, defaultMethod, defaultImages, Map.of());
    }

    DemoModel(String modelId, Task task, Method defaultMethod, int defaultImages, Map<String, Object> parameters) {
        this.modelId = modelId;
        this.task = task;
        this.defaultMethod = defaultMethod;
        this.defaultImages = defaultImages;
        this.parameters = Map.copyOf(parameters);
    }

    /** Parameters every run of this demo model takes (the model's own preprocessing), by name. */
    Map<String, Object> parameters() {
        return parameters;
    }

    /** Model id in the registry (and folder name under the assets' {@code models/}). */
    String modelId() {
        return modelId;
    }

    String defaultMethod() {
        return defaultMethod.id();
    }

    /** D-RISE costs hundreds of forward passes per image, so the detector demo samples fewer. */
    int defaultImages() {
        return defaultImages;
    }

    /** The demo model registered as {@code id}. */
    static DemoModel byId(String id) {
        for (DemoModel model : values()) {
            if (model.modelId.equals(id)) {
                return model;
            }
        }
        throw new CliException("unknown --model '" + id + "'; choose one of " + java.util.Arrays.stream(values())
                .map(DemoModel::modelId).collect(Collectors.joining(", ")));
    }

    /**
     * The demo model for the user's choice: {@code --fixture}, else {@code --task}, else the task
     * that {@code --method} explains (the classifier when it explains classification, else the
     * detector), else the detector.
     *
     * @throws CliException when the task is unknown or the method does not fit it
     */
    static DemoModel choose(boolean fixture, String task, String method) {
        String normalisedMethod = method == null ? null : method.toLowerCase(Locale.ROOT);
        DemoModel model;
        if (fixture) {
            model = FIXTURE;
        } else if (task != null) {
            String name = task.toLowerCase(Locale.ROOT);
            model = Map.of(Task.DETECTION.id(), DETECTOR, Task.CLASSIFICATION.id(), CLASSIFIER, "segmentation", SEGMENTER,
                    Task.SEMANTIC_SEGMENTATION.id(), SEGMENTER, Task.ATTRIBUTES.id(), ATTRIBUTER).get(name);
            if (model == null) {
                throw new CliException("unknown --task '" + task + "'; choose detection, classification, segmentation or"
                        + " attributes");
            }
        } else if (normalisedMethod != null && MethodCatalogue.byId(normalisedMethod)
                .filter(m -> m.explains(Task.CLASSIFICATION)).isPresent()) {
            model = CLASSIFIER;
        } else {
            model = DETECTOR;
        }
        if (normalisedMethod != null && MethodCatalogue.byId(normalisedMethod).filter(m -> m.explains(model.task)).isEmpty()) {
            throw new CliException("--method " + method + " does not fit the " + model.task.id() + " demo; use "
                    + MethodCatalogue.methodsFor(model.task).stream().map(Method::id).collect(Collectors.joining(", ")));
        }
        return model;
    }
}
