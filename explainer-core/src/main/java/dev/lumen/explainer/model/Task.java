package dev.lumen.explainer.model;

import java.util.Arrays;
import java.util.stream.Collectors;

/** What a model predicts, as named in {@code lumen-model.json}'s {@code task} field. */
public enum Task {
    /** One label per image (softmax over labels). */
    CLASSIFICATION("classification"),
    /** Any number of labels per image (one sigmoid per label). */
    MULTILABEL("multilabel"),
    /** Independent yes/no attributes (one sigmoid per attribute). */
    ATTRIBUTES("attributes"),
    /** A label per pixel. */
    SEMANTIC_SEGMENTATION("semantic-segmentation"),
    /** Boxes with labels. */
    DETECTION("detection"),
    /** Boxes with labels and masks. */
    INSTANCE_SEGMENTATION("instance-segmentation");

    private final String id;

    Task(String id) {
        this.id = id;
    }

    /** The name used in {@code lumen-model.json}. */
    public String id() {
        return id;
    }

    /** Whether each label has its own score for the whole image (classification, multilabel, attributes). */
    public boolean scoresLabels() {
        return this == CLASSIFICATION || this == MULTILABEL || this == ATTRIBUTES;
    }

    /**
     * Whether predictions come from a {@code scores} or {@code logits} output read per label: the
     * label tasks, and semantic segmentation (per pixel, labels along the last axis).
     */
    public boolean hasScoreOutput() {
        return scoresLabels() || this == SEMANTIC_SEGMENTATION;
    }

    /** The task named {@code id}, or null. */
    static Task byId(String id) {
        for (Task task : values()) {
            if (task.id.equals(id)) {
                return task;
            }
        }
        return null;
    }

    /** All names, for error messages. */
    static String ids() {
        return Arrays.stream(values()).map(Task::id).collect(Collectors.joining(", "));
    }
}
