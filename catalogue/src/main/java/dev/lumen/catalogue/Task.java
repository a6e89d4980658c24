package dev.lumen.catalogue;

import java.util.Arrays;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * What a model predicts, as named in {@code lumen-model.json}'s {@code task} field, and what its
 * predictions are called in results. Which methods explain a task is the {@link MethodCatalogue}'s
 * business.
 */
public enum Task {
    /** One label per image (softmax over labels). */
    CLASSIFICATION("classification", "class", "one label per image (softmax over labels)"),
    /** Any number of labels per image (one sigmoid per label). */
    MULTILABEL("multilabel", "tag", "any number of labels per image (one sigmoid per label)"),
    /** Independent yes/no attributes of each object (one sigmoid per attribute), explained per object crop. */
    ATTRIBUTES("attributes", "attribute", "yes/no attributes of each object (one sigmoid per attribute)"),
    /** A label per pixel. */
    SEMANTIC_SEGMENTATION("semantic-segmentation", "segment", "a label per pixel"),
    /** Boxes with labels. */
    DETECTION("detection", "detection", "boxes with labels"),
    /** Boxes with labels and masks. */
    INSTANCE_SEGMENTATION("instance-segmentation", "detection", "boxes with labels and masks");

    private final String id;
    private final String predictionKind;
    private final String description;

    Task(String id, String predictionKind, String description) {
        this.id = id;
        this.predictionKind = predictionKind;
        this.description = description;
    }

    /** The name used in {@code lumen-model.json}, requests and events. */
    public String id() {
        return id;
    }

    /** What one prediction of this task is called in results ({@code class}, {@code tag}, ...). */
    public String predictionKind() {
        return predictionKind;
    }

    /** What the model's predictions are, in a few words. */
    public String description() {
        return description;
    }

    /** Whether each label has one score for the whole image (or object): classification, multilabel, attributes. */
    public boolean scoresLabels() {
        return this == CLASSIFICATION || this == MULTILABEL || this == ATTRIBUTES;
    }

    /** Whether predictions are boxes found by a detector (with masks for instance segmentation). */
    public boolean detectsObjects() {
        return this == DETECTION || this == INSTANCE_SEGMENTATION;
    }

    /** The task called {@code id}, if any. */
    public static Optional<Task> byId(String id) {
        return Arrays.stream(values()).filter(t -> t.id.equals(id)).findFirst();
    }

    /** Every task name, comma-separated, for error messages. */
    public static String ids() {
        return Arrays.stream(values()).map(Task::id).collect(Collectors.joining(", "));
    }
}
