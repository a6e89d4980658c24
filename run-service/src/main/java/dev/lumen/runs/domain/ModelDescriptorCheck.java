package dev.lumen.runs.domain;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.lumen.explainer.model.AttributeGroupShapes;
import dev.lumen.explainer.model.DetectionLayoutShapes;
import dev.lumen.explainer.model.GraphVetting;
import dev.lumen.explainer.model.InvalidDescriptorException;
import dev.lumen.explainer.model.ModelDescriptor;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Checks an uploaded {@code lumen-model.json} (format: {@code explainer-core/README.md}) without loading
 * TensorFlow: every field as the explainer's parser reads it, a declared detection layout against the
 * signature's output shapes, and, cheaply, that the names it
 * gives for the signature, input, outputs and target layer occur in {@code saved_model.pb}. That last
 * check is a byte search for each name in the serialized graph, not a protobuf parse: it catches a
 * descriptor written for another model, not every inconsistency (the worker's loader checks the rest).
 */
public final class ModelDescriptorCheck {

    /** A refused descriptor: the message names the field. */
    public static final class InvalidException extends RuntimeException {
        private final String field;
        private final boolean contradictsGraph;

        InvalidException(String field, String message, boolean contradictsGraph) {
            super("lumen-model.json: " + field + " " + message);
            this.field = field;
            this.contradictsGraph = contradictsGraph;
        }

        /** The offending field, as a JSON path without {@code $.}. */
        public String field() {
            return field;
        }

        /** Whether the descriptor is well formed but names something the graph does not have. */
        public boolean contradictsGraph() {
            return contradictsGraph;
        }
    }

    private ModelDescriptorCheck() {
    }

    /**
     * Parses and checks {@code json} with the explainer's own descriptor parser (the one a worker
     * loads the model with, so a descriptor accepted here is one the worker reads); returns it as an
     * object node.
     *
     * @throws InvalidException naming the first offending field
     */
    public static ObjectNode parse(byte[] json, ObjectMapper mapper) {
        JsonNode root;
        try {
            root = mapper.readTree(json);
        } catch (JsonProcessingException e) {
            throw new InvalidException("(document)", "is not valid JSON: " + e.getOriginalMessage(), false);
        } catch (java.io.IOException e) {
            throw new InvalidException("(document)", "cannot be read: " + e.getMessage(), false);
        }
        if (!(root instanceof ObjectNode object)) {
            throw new InvalidException("(document)", "must be a JSON object", false);
        }
        try {
            ModelDescriptor.parse(json);
        } catch (InvalidDescriptorException e) {
            throw fromExplainer(e, false);
        }
        return object;
    }

    /**
     * Checks a declared detection layout against the output shapes the signature declares (a column
     * beyond the row, class columns against the labels, masks of another proposal count).
     *
     * @throws InvalidException naming the {@code detection} field
     */
    public static void layoutMatchesGraph(byte[] json, Path modelDir) {
        try {
            DetectionLayoutShapes.checkSavedModel(ModelDescriptor.parse(json), modelDir);
        } catch (InvalidDescriptorException e) {
            throw fromExplainer(e, true);
        }
    }

    /**
     * Checks each attribute group's labels against the size of its head, where the signature declares
     * the head's shape (heads named by graph tensor are checked by the worker's loader).
     *
     * @throws InvalidException naming the group's {@code labels} field
     */
    public static void groupsMatchGraph(byte[] json, Path modelDir) {
        try {
            AttributeGroupShapes.checkSavedModel(ModelDescriptor.parse(json), modelDir);
        } catch (InvalidDescriptorException e) {
            throw fromExplainer(e, true);
        }
    }

    /** The explainer's message is {@code lumen-model.json: <field> <problem>}. */
    private static InvalidException fromExplainer(InvalidDescriptorException e, boolean contradictsGraph) {
        String message = e.getMessage().replaceFirst("^lumen-model\\.json: ", "");
        int end = 0;
        while (end < message.length() && message.charAt(end) != ' ' && message.charAt(end) != ':') {
            end++;
        }
        String field = end == 0 ? "(document)" : message.substring(0, end);
        return new InvalidException(field, message.substring(end).replaceFirst("^:? ", ""), contradictsGraph);
    }

    /**
     * Checks that every name the descriptor gives (signature key, input tensor, outputs, target layer)
     * occurs in {@code savedModelPb} (for {@code op:index} names, the op).
     *
     * @throws InvalidException naming the first field whose name the graph lacks
     */
    public static void matchesGraph(ObjectNode descriptor, byte[] savedModelPb) {
        List<String[]> names = new ArrayList<>();
        JsonNode input = descriptor.path("input");
        names.add(new String[]{"input.signatureKey", input.path("signatureKey").asText("serving_default")});
        if (input.hasNonNull("tensor")) {
            names.add(new String[]{"input.tensor", input.get("tensor").asText()});
        }
        descriptor.path("outputs").fields().forEachRemaining(e ->
                names.add(new String[]{"outputs." + e.getKey(), e.getValue().asText()}));
        if (descriptor.hasNonNull("targetLayer")) {
            names.add(new String[]{"targetLayer", descriptor.get("targetLayer").asText()});
        }
        for (String[] name : names) {
            String op = name[1].replaceFirst(":\\d+$", "");
            if (!contains(savedModelPb, op.getBytes(StandardCharsets.UTF_8))) {
                throw new InvalidException(name[0], "names '" + name[1] + "', which saved_model.pb does not contain", true);
            }
        }
    }

    /**
     * Checks that the descriptor's {@code targetLayer}, when it names one, is an operation of the graph
     * (function bodies included, as the worker inlines them).
     *
     * @throws InvalidException on field {@code targetLayer}
     */
    public static void targetLayerIn(ObjectNode descriptor, GraphVetting.VettedGraph graph) {
        if (descriptor.hasNonNull("targetLayer") && !graph.mayHaveLayer(descriptor.get("targetLayer").asText())) {
            throw new InvalidException("targetLayer", "names '" + descriptor.get("targetLayer").asText()
                    + "', which is not an operation of the graph", true);
        }
    }

    private static boolean contains(byte[] haystack, byte[] needle) {
        if (needle.length == 0) {
            return false;
        }
        outer:
        for (int i = 0; i <= haystack.length - needle.length; i++) {
            for (int j = 0; j < needle.length; j++) {
                if (haystack[i + j] != needle[j]) {
                    continue outer;
                }
            }
            return true;
        }
        return false;
    }

}
