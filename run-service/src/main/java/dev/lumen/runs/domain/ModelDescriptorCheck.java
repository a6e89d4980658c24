package dev.lumen.runs.domain;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.lumen.catalogue.Task;
import dev.lumen.explainer.model.GraphVetting;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Checks an uploaded {@code lumen-model.json} (format: {@code explainer-core/README.md}) without loading
 * TensorFlow: the required fields and their shapes, unknown fields, and, cheaply, that the names it
 * gives for the signature, input, outputs and target layer occur in {@code saved_model.pb}. That last
 * check is a byte search for each name in the serialized graph, not a protobuf parse: it catches a
 * descriptor written for another model, not every inconsistency (the worker's loader checks the rest).
 */
public final class ModelDescriptorCheck {

    /** The tasks a descriptor may declare, as the catalogue names them, for messages. */
    private static final String TASKS = Arrays.stream(Task.values()).map(Task::id).sorted()
            .collect(Collectors.joining(", "));
    private static final Set<String> ROOT_FIELDS = Set.of(
            "task", "labels", "input", "outputs", "decoder", "scoreThreshold", "targetLayer", "background", "tenant");
    private static final Set<String> INPUT_FIELDS = Set.of(
            "signatureKey", "tensor", "layout", "width", "height", "channels", "colorOrder", "scale",
            "mean", "std", "resize");

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
     * Parses and checks {@code json}; returns it as an object node.
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
        unknown(object, ROOT_FIELDS, "");
        JsonNode task = object.get("task");
        if (task == null || !task.isTextual()) {
            throw invalid("task", "is required (one of " + TASKS + ")");
        }
        if (Task.byId(task.asText()).isEmpty()) {
            throw invalid("task", "must be one of " + TASKS + ", got '" + task.asText() + "'");
        }
        JsonNode labels = object.get("labels");
        if (labels == null || !labels.isArray() || labels.isEmpty()) {
            throw invalid("labels", "is required: a non-empty array of label names");
        }
        for (int i = 0; i < labels.size(); i++) {
            if (!labels.get(i).isTextual() || labels.get(i).asText().isBlank()) {
                throw invalid("labels[" + i + "]", "must be a non-blank string");
            }
        }
        JsonNode input = object.get("input");
        if (input == null || !input.isObject()) {
            throw invalid("input", "is required: an object with at least width and height");
        }
        unknown(input, INPUT_FIELDS, "input.");
        for (String side : List.of("width", "height")) {
            JsonNode value = input.get(side);
            if (value == null || !value.isIntegralNumber() || value.asLong() < 1 || value.asLong() > 16384) {
                throw invalid("input." + side, "is required: an integer in 1..16384" + (value == null ? "" : ", got " + value));
            }
        }
        for (String text : List.of("signatureKey", "tensor", "layout", "colorOrder", "resize")) {
            JsonNode value = input.get(text);
            if (value != null && !value.isTextual()) {
                throw invalid("input." + text, "must be a string");
            }
        }
        JsonNode outputs = object.get("outputs");
        if (outputs == null || !outputs.isObject() || outputs.isEmpty()) {
            throw invalid("outputs", "is required: an object from role (e.g. scores, logits) to output name");
        }
        for (Iterator<Map.Entry<String, JsonNode>> it = outputs.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> e = it.next();
            if (!e.getValue().isTextual() || e.getValue().asText().isBlank()) {
                throw invalid("outputs." + e.getKey(), "must be a non-blank output name");
            }
        }
        JsonNode targetLayer = object.get("targetLayer");
        if (targetLayer != null && !targetLayer.isTextual()) {
            throw invalid("targetLayer", "must be a string");
        }
        return object;
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

    private static void unknown(JsonNode node, Set<String> known, String prefix) {
        for (Iterator<String> it = node.fieldNames(); it.hasNext(); ) {
            String name = it.next();
            if (!known.contains(name)) {
                throw invalid(prefix + name, "is not a known field (known: " + String.join(", ", known.stream().sorted().toList()) + ")");
            }
        }
    }

    private static InvalidException invalid(String field, String message) {
        return new InvalidException(field, message, false);
    }
}
