package dev.lumen.runs.domain;

import com.fasterxml.jackson.databind.JsonNode;
import dev.lumen.explainer.model.AttributeGroup;
import java.util.ArrayList;
import java.util.List;

/**
 * The labels of a stored {@code lumen-model.json}, indexed as the explainer indexes them: its
 * {@code labels}, or for a model with attribute groups each group's values in order, shown as
 * {@code group: value}.
 */
public final class DescriptorLabels {

    private DescriptorLabels() {
    }

    /** The labels of {@code descriptor}. */
    public static List<String> of(JsonNode descriptor) {
        List<String> labels = new ArrayList<>();
        if (descriptor.path("groups").isArray() && !descriptor.path("groups").isEmpty()) {
            for (JsonNode group : descriptor.path("groups")) {
                String name = group.path("name").asText();
                group.path("labels").forEach(value -> labels.add(name + AttributeGroup.SEPARATOR + value.asText()));
            }
            return labels;
        }
        descriptor.path("labels").forEach(label -> labels.add(label.asText()));
        return labels;
    }
}
