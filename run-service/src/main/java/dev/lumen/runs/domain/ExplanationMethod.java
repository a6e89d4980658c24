package dev.lumen.runs.domain;

import java.util.Arrays;
import java.util.EnumSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/** The explanation methods a run may ask for, and the model tasks each one can explain. */
public enum ExplanationMethod {
    GRADCAM("gradcam", ModelTask.GRADIENT_TASKS),
    GRADCAM_PLUS_PLUS("gradcam++", ModelTask.GRADIENT_TASKS),
    HIRESCAM("hirescam", ModelTask.GRADIENT_TASKS),
    DRISE("drise", Set.of(ModelTask.DETECTION, ModelTask.INSTANCE_SEGMENTATION)),
    /** Scores masked images per label (or per detected object); a segmenter's segments are explained by gradients only. */
    RISE("rise", EnumSet.complementOf(EnumSet.of(ModelTask.SEMANTIC_SEGMENTATION)));

    private final String id;
    private final Set<ModelTask> tasks;

    ExplanationMethod(String id, Set<ModelTask> tasks) {
        this.id = id;
        this.tasks = tasks;
    }

    /** The method's name in requests and events. */
    public String id() {
        return id;
    }

    /** Whether the method can explain a model of {@code task}. */
    public boolean supports(ModelTask task) {
        return tasks.contains(task);
    }

    /** The method called {@code id}, if any. */
    public static Optional<ExplanationMethod> byId(String id) {
        return Arrays.stream(values()).filter(m -> m.id.equals(id)).findFirst();
    }

    /** Every method name. */
    public static List<String> ids() {
        return Arrays.stream(values()).map(ExplanationMethod::id).toList();
    }

    /** The names of the methods that can explain {@code task}. */
    public static List<String> idsFor(ModelTask task) {
        return Arrays.stream(values()).filter(m -> m.supports(task)).map(ExplanationMethod::id).toList();
    }
}
