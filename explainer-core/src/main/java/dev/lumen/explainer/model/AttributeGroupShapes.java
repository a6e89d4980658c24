package dev.lumen.explainer.model;

import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

/**
 * Checks each attribute group's labels against the size of its head, on the shapes a SavedModel's
 * signature declares (registration, without TensorFlow). Heads named by graph tensor rather than
 * signature output have no declared shape here; the loader checks them against the graph.
 */
public final class AttributeGroupShapes {

    private AttributeGroupShapes() {
    }

    /**
     * Checks {@code descriptor}'s groups against {@code modelDir/saved_model.pb}; a descriptor
     * without groups passes.
     *
     * @throws InvalidDescriptorException naming the group whose labels do not match its head
     * @throws ModelLoadException when {@code saved_model.pb} cannot be read
     */
    public static void checkSavedModel(ModelDescriptor descriptor, Path modelDir) {
        if (descriptor.groups().isEmpty()) {
            return;
        }
        check(descriptor.groups(), SavedModelFile.read(modelDir)
                .outputShapes(descriptor.input().signatureKey(), descriptor.outputs()));
    }

    /**
     * Checks the groups against output shapes by role (batch first; dynamic sizes pass).
     *
     * @throws InvalidDescriptorException naming the first group whose labels do not match its head
     */
    static void check(List<AttributeGroup> groups, Map<String, long[]> shapes) {
        for (int g = 0; g < groups.size(); g++) {
            AttributeGroup group = groups.get(g);
            long[] shape = shapes.get(group.output());
            if (shape == null || shape.length < 2) {
                continue;
            }
            long perImage = 1;
            for (int d = 1; d < shape.length; d++) {
                perImage *= shape[d];
            }
            if (perImage > 0 && perImage != group.labels().size()) {
                throw new InvalidDescriptorException(ModelDescriptor.FILE_NAME + ": groups[" + g + "].labels has "
                        + group.labels().size() + " entries but the head of group " + group.name() + " (output '"
                        + group.output() + "', shape " + Arrays.toString(shape) + ") has " + perImage + " values per image");
            }
        }
    }
}
