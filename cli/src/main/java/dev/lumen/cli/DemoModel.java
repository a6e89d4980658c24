package dev.lumen.cli;

import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * The models {@code ./lumen demo} can explain: real pretrained models from the demo assets (the
 * default), or the Java-trained fixture that needs no download.
 *
 * @see RealDemoAssets
 * @see DemoAssets
 */
enum DemoModel {
    /** NanoDet, a COCO detector, explained with D-RISE. */
    DETECTOR("nanodet", "detection", "drise", 6),
    /** The nsfwjs MobileNetV2 image classifier, explained with Grad-CAM. */
    CLASSIFIER("nsfwjs", "classification", "gradcam", 12),
    /** MediaPipe's selfie person segmenter, explained with Grad-CAM. */
    SEGMENTER("selfie", "segmentation", "gradcam", 12),
    /** The small CNN trained in Java on synthetic squares and stripes. */
    FIXTURE(DemoAssets.MODEL_ID, "classification", "gradcam", 12);

    private static final Set<String> GRADIENT_METHODS = Set.of("gradcam", "gradcam++", "hirescam", "rise");

    private final String modelId;
    private final String task;
    private final String defaultMethod;
    private final int defaultImages;

    DemoModel(String modelId, String task, String defaultMethod, int defaultImages) {
        this.modelId = modelId;
        this.task = task;
        this.defaultMethod = defaultMethod;
        this.defaultImages = defaultImages;
    }

    /** Model id in the registry (and folder name under the assets' {@code models/}). */
    String modelId() {
        return modelId;
    }

    String defaultMethod() {
        return defaultMethod;
    }

    /** D-RISE costs hundreds of forward passes per image, so the detector demo samples fewer. */
    int defaultImages() {
        return defaultImages;
    }

    /**
     * The demo model for the user's choice: {@code --fixture}, else {@code --task}, else the task
     * that {@code --method} explains (D-RISE: detection; the Grad-CAM family and RISE:
     * classification), else the detector.
     *
     * @throws CliException when the task is unknown or the method does not fit it
     */
    static DemoModel choose(boolean fixture, String task, String method) {
        String normalisedMethod = method == null ? null : method.toLowerCase(Locale.ROOT);
        DemoModel model;
        if (fixture) {
            model = FIXTURE;
        } else if (task != null) {
            model = Map.of("detection", DETECTOR, "classification", CLASSIFIER, "segmentation", SEGMENTER,
                    "semantic-segmentation", SEGMENTER).get(task.toLowerCase(Locale.ROOT));
            if (model == null) {
                throw new CliException("unknown --task '" + task + "'; choose detection, classification or segmentation");
            }
        } else if (normalisedMethod != null && GRADIENT_METHODS.contains(normalisedMethod)) {
            model = CLASSIFIER;
        } else {
            model = DETECTOR;
        }
        if (normalisedMethod != null && (model == DETECTOR) != normalisedMethod.equals("drise")) {
            throw new CliException("--method " + method + " does not fit the " + model.task + " demo; "
                    + (model == DETECTOR ? "detectors are explained with drise" : "use gradcam, gradcam++, hirescam or rise"));
        }
        return model;
    }
}
