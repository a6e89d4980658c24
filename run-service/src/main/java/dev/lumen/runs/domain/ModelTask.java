package dev.lumen.runs.domain;

import java.util.Arrays;
import java.util.Optional;
import java.util.Set;

/** What a model does, as its descriptor's {@code task} says. */
public enum ModelTask {
    CLASSIFICATION("classification"),
    MULTILABEL("multilabel"),
    ATTRIBUTES("attributes"),
    SEMANTIC_SEGMENTATION("semantic-segmentation"),
    DETECTION("detection"),
    INSTANCE_SEGMENTATION("instance-segmentation");

    /** Tasks whose models expose a differentiable score over spatial activations. */
    static final Set<ModelTask> GRADIENT_TASKS = Set.of(CLASSIFICATION, MULTILABEL, ATTRIBUTES, SEMANTIC_SEGMENTATION);

    private final String id;

    ModelTask(String id) {
        this.id = id;
    }

    public String id() {
        return id;
    }

    /** The task called {@code id} in a descriptor, if any. */
    public static Optional<ModelTask> byId(String id) {
        return Arrays.stream(values()).filter(t -> t.id.equals(id)).findFirst();
    }
}
