package dev.lumen.explainer.model;

import dev.lumen.catalogue.Task;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.lumen.explainer.model.ModelDescriptor.ColorOrder;
import dev.lumen.explainer.model.ModelDescriptor.Input;
import dev.lumen.explainer.model.ModelDescriptor.Layout;
import dev.lumen.explainer.model.ModelDescriptor.ResizeMode;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Parses and validates {@code lumen-model.json}. Every error names the field by its JSON path
 * ({@code input.width}, {@code labels[2]}), because the person reading it has the file open and
 * nothing else.
 */
final class DescriptorParser {

    private static final String PREFIX = ModelDescriptor.FILE_NAME + ": ";
    /** {@code tenant} and {@code name} are the registry's bookkeeping: accepted, not used here. */
    private static final Set<String> ROOT_FIELDS = Set.of(
            "task", "labels", "input", "outputs", "decoder", "scoreThreshold", "targetLayer", "background", "tenant",
            "name", DetectionLayoutFormat.FIELD, "groups");
    private static final Set<String> GROUP_FIELDS = Set.of("name", "output", "decoder", "labels");
    private static final Set<String> INPUT_FIELDS = Set.of(
            "signatureKey", "tensor", "layout", "width", "height", "channels", "colorOrder", "scale",
            "mean", "std", "resize", "dtype", "size", "sizeMultiple");
    private static final double DEFAULT_SCALE = 1.0 / 255;
    /** Single-label models explain their top class whatever its score; label sets use a cut-off. */
    private static final double DEFAULT_CLASSIFICATION_THRESHOLD = 0.0;
    private static final double DEFAULT_THRESHOLD = 0.5;

    private DescriptorParser() {
    }

    static ModelDescriptor parse(byte[] json) {
        JsonNode root;
        try {
            root = new ObjectMapper().readTree(json);
        } catch (JsonProcessingException e) {
            throw new InvalidDescriptorException(PREFIX + "not valid JSON (line " + e.getLocation().getLineNr()
                    + "): " + e.getOriginalMessage(), e);
        } catch (IOException e) {
            throw new InvalidDescriptorException(PREFIX + "cannot parse: " + e.getMessage(), e);
        }
        if (root == null || !root.isObject()) {
            throw invalid("", "must be a JSON object");
        }
        rejectUnknown(root, ROOT_FIELDS, "");

        String taskId = requiredText(root, "task", "task");
        Task task = Task.byId(taskId).orElseThrow(() ->
                invalid("task", "must be one of " + Task.ids() + ", got '" + taskId + "'"));
        JsonNode groupsNode = root.get("groups");
        boolean grouped = groupsNode != null && !groupsNode.isNull();
        Input input = input(root.get("input"));
        Map<String, String> outputs = outputs(root.get("outputs"), task, grouped);
        List<AttributeGroup> groups = grouped ? groups(groupsNode, task, outputs) : List.of();
        if (grouped && root.has("labels")) {
            throw invalid("labels", "must be absent when groups are given (each group lists its own labels)");
        }
        List<String> labels = grouped ? ModelDescriptor.groupLabels(groups) : labels(root.get("labels"));
        String decoder = optionalText(root, "decoder", "decoder");
        if (grouped && decoder != null) {
            throw invalid("decoder", "must be absent when groups are given (each group names its own decoder)");
        }
        double threshold = optionalNumber(root, "scoreThreshold", "scoreThreshold",
                task == Task.CLASSIFICATION ? DEFAULT_CLASSIFICATION_THRESHOLD : DEFAULT_THRESHOLD);
        if (threshold < 0 || threshold > 1) {
            throw invalid("scoreThreshold", "must be in [0, 1], got " + threshold);
        }
        String targetLayer = optionalText(root, "targetLayer", "targetLayer");
        DetectionLayout detection = null;
        JsonNode layoutNode = root.get(DetectionLayoutFormat.FIELD);
        if (layoutNode != null && !layoutNode.isNull()) {
            if (decoder != null && !decoder.equals(DetectionLayout.DECODER)) {
                throw invalid("decoder", "'" + decoder + "' contradicts the " + DetectionLayoutFormat.FIELD
                        + " object (a declared layout is decoder '" + DetectionLayout.DECODER + "'; drop one)");
            }
            detection = DetectionLayoutFormat.parse(layoutNode, task, labels.size(), outputs);
            decoder = DetectionLayout.DECODER;
        } else if (DetectionLayout.DECODER.equals(decoder)) {
            throw invalid("decoder", "'" + DetectionLayout.DECODER + "' needs a " + DetectionLayoutFormat.FIELD
                    + " object describing the outputs");
        }
        return new ModelDescriptor(task, labels, input, outputs, decoder, threshold, targetLayer,
                background(root.get("background"), task, labels), detection, groups);
    }

    /** Attribute groups: one per output head, each naming a role in {@code outputs}. */
    private static List<AttributeGroup> groups(JsonNode node, Task task, Map<String, String> outputs) {
        if (task != Task.ATTRIBUTES) {
            throw invalid("groups", "applies to task " + Task.ATTRIBUTES.id() + " only, not " + task.id());
        }
        if (!node.isArray() || node.isEmpty()) {
            throw invalid("groups", "must be a non-empty array of objects");
        }
        List<AttributeGroup> groups = new ArrayList<>();
        Set<String> names = new HashSet<>();
        for (int g = 0; g < node.size(); g++) {
            String path = "groups[" + g + "]";
            JsonNode group = node.get(g);
            if (!group.isObject()) {
                throw invalid(path, "must be an object with name, output, decoder and labels");
            }
            rejectUnknown(group, GROUP_FIELDS, path + ".");
            String name = requiredText(group, "name", path + ".name");
            if (name.contains(":")) {
                throw invalid(path + ".name", "must not contain ':' (labels show as 'name: value'), got '" + name + "'");
            }
            if (!names.add(name)) {
                throw invalid(path + ".name", "'" + name + "' names two groups");
            }
            String output = requiredText(group, "output", path + ".output");
            if (!outputs.containsKey(output)) {
                throw invalid(path + ".output", "names output '" + output + "', which is not in outputs (known: "
                        + String.join(", ", outputs.keySet().stream().sorted().toList()) + ")");
            }
            String decoderId = requiredText(group, "decoder", path + ".decoder");
            AttributeGroup.Decoder decoder = Arrays.stream(AttributeGroup.Decoder.values())
                    .filter(d -> d.id().equals(decoderId)).findFirst()
                    .orElseThrow(() -> invalid(path + ".decoder", "must be softmax or sigmoid, got '" + decoderId + "'"));
            List<String> labels = labels(group.get("labels"), path + ".labels");
            groups.add(new AttributeGroup(name, output, decoder, labels));
        }
        return groups;
    }

    /** The background label of a semantic segmenter: an index into {@code labels} when given. */
    private static Integer background(JsonNode node, Task task, List<String> labels) {
        if (node == null || node.isNull()) {
            return null;
        }
        if (task != Task.SEMANTIC_SEGMENTATION) {
            throw invalid("background", "applies to task " + Task.SEMANTIC_SEGMENTATION.id() + " only, not " + task.id());
        }
        if (!node.isIntegralNumber()) {
            throw invalid("background", "must be a label index (an integer)");
        }
        if (labels.size() == 1) {
            throw invalid("background", "must be absent for a single-label segmenter (its one sigmoid channel is the"
                    + " foreground; background is every pixel below scoreThreshold)");
        }
        if (node.asLong() < 0 || node.asLong() >= labels.size()) {
            throw invalid("background", "must be in 0.." + (labels.size() - 1) + " (an index into labels), got "
                    + node.asLong());
        }
        return node.asInt();
    }

    private static List<String> labels(JsonNode node) {
        return labels(node, "labels");
    }

    private static List<String> labels(JsonNode node, String path) {
        if (node == null || node.isNull()) {
            throw invalid(path, "is required");
        }
        if (!node.isArray() || node.isEmpty()) {
            throw invalid(path, "must be a non-empty array of strings");
        }
        List<String> labels = new ArrayList<>();
        for (int i = 0; i < node.size(); i++) {
            JsonNode label = node.get(i);
            if (!label.isTextual() || label.asText().isBlank()) {
                throw invalid(path + "[" + i + "]", "must be a non-empty string");
            }
            labels.add(label.asText());
        }
        return labels;
    }

    private static Input input(JsonNode node) {
        if (node == null || node.isNull()) {
            throw invalid("input", "is required");
        }
        if (!node.isObject()) {
            throw invalid("input", "must be an object");
        }
        rejectUnknown(node, INPUT_FIELDS, "input.");
        String signatureKey = optionalText(node, "signatureKey", "input.signatureKey");
        String tensor = optionalText(node, "tensor", "input.tensor");
        Layout layout = choice(node, "layout", "input.layout", Layout.NHWC);
        int width = positiveInt(node, "width", "input.width");
        int height = positiveInt(node, "height", "input.height");
        int channels = (int) optionalNumber(node, "channels", "input.channels", 3);
        if (channels != 1 && channels != 3) {
            throw invalid("input.channels", "must be 1 or 3, got " + channels);
        }
        ColorOrder colorOrder = choice(node, "colorOrder", "input.colorOrder", ColorOrder.RGB);
        double scale = optionalNumber(node, "scale", "input.scale", DEFAULT_SCALE);
        if (!(scale > 0)) {
            throw invalid("input.scale", "must be > 0, got " + scale);
        }
        double[] mean = perChannel(node, "mean", channels, 0.0);
        double[] std = perChannel(node, "std", channels, 1.0);
        for (int c = 0; c < std.length; c++) {
            if (!(std[c] > 0)) {
                throw invalid("input.std[" + c + "]", "must be > 0, got " + std[c]);
            }
        }
        ResizeMode resize = resizeMode(node);
        ModelDescriptor.Dtype dtype = dtype(node);
        if (dtype != ModelDescriptor.Dtype.FLOAT32 && node.has("scale") && scale != 1) {
            throw invalid("input.scale", "must be 1 (or absent) for input.dtype " + dtype.id()
                    + ": the graph takes raw pixel values 0..255, got " + scale);
        }
        String size = optionalText(node, "size", "input.size");
        if (size != null && !size.equals("fixed") && !size.equals("image")) {
            throw invalid("input.size", "must be fixed or image, got '" + size + "'");
        }
        boolean imageSize = "image".equals(size);
        int multiple = (int) optionalNumber(node, "sizeMultiple", "input.sizeMultiple", Input.DEFAULT_SIZE_MULTIPLE);
        if (multiple < 1 || multiple > 256) {
            throw invalid("input.sizeMultiple", "must be in 1..256, got " + multiple);
        }
        if (node.has("sizeMultiple") && !imageSize) {
            throw invalid("input.sizeMultiple", "applies to input.size image only");
        }
        if (imageSize && resize == ResizeMode.LETTERBOX) {
            throw invalid("input.resize", "letterbox contradicts input.size image (the input takes the image's own"
                    + " aspect ratio)");
        }
        return new Input(signatureKey == null ? "serving_default" : signatureKey, tensor, layout, width, height,
                channels, colorOrder, dtype == ModelDescriptor.Dtype.FLOAT32 ? scale : 1.0, mean, std, resize, dtype,
                imageSize, multiple);
    }

    private static Map<String, String> outputs(JsonNode node, Task task, boolean grouped) {
        if (node == null || node.isNull()) {
            throw invalid("outputs", "is required");
        }
        if (!node.isObject() || node.isEmpty()) {
            throw invalid("outputs", "must be an object mapping output roles to tensor names");
        }
        Map<String, String> outputs = new LinkedHashMap<>();
        for (Iterator<Map.Entry<String, JsonNode>> it = node.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> field = it.next();
            if (!field.getValue().isTextual() || field.getValue().asText().isBlank()) {
                throw invalid("outputs." + field.getKey(), "must be a non-empty string");
            }
            outputs.put(field.getKey(), field.getValue().asText());
        }
        if (!task.detectsObjects() && !grouped && !outputs.containsKey(ModelDescriptor.SCORES)
                && !outputs.containsKey(ModelDescriptor.LOGITS)) {
            throw invalid("outputs", "must name a '" + ModelDescriptor.SCORES + "' or '" + ModelDescriptor.LOGITS
                    + "' output for task " + task.id());
        }
        return outputs;
    }

    private static ResizeMode resizeMode(JsonNode node) {
        String id = optionalText(node, "resize", "input.resize");
        if (id == null) {
            return ResizeMode.STRETCH;
        }
        for (ResizeMode mode : ResizeMode.values()) {
            if (mode.id().equals(id)) {
                return mode;
            }
        }
        throw invalid("input.resize", "must be one of stretch, letterbox, got '" + id + "'");
    }

    private static ModelDescriptor.Dtype dtype(JsonNode node) {
        String id = optionalText(node, "dtype", "input.dtype");
        if (id == null) {
            return ModelDescriptor.Dtype.FLOAT32;
        }
        for (ModelDescriptor.Dtype dtype : ModelDescriptor.Dtype.values()) {
            if (dtype.id().equals(id)) {
                return dtype;
            }
        }
        throw invalid("input.dtype", "must be one of float32, uint8, int32, got '" + id + "'");
    }

    private static <E extends Enum<E>> E choice(JsonNode node, String field, String path, E fallback) {
        String value = optionalText(node, field, path);
        if (value == null) {
            return fallback;
        }
        for (E constant : fallback.getDeclaringClass().getEnumConstants()) {
            if (constant.name().equals(value)) {
                return constant;
            }
        }
        throw invalid(path, "must be one of " + Arrays.toString(fallback.getDeclaringClass().getEnumConstants())
                .replaceAll("[\\[\\]]", "") + ", got '" + value + "'");
    }

    private static double[] perChannel(JsonNode node, String field, int channels, double fallback) {
        String path = "input." + field;
        JsonNode array = node.get(field);
        double[] values = new double[channels];
        if (array == null || array.isNull()) {
            Arrays.fill(values, fallback);
            return values;
        }
        if (!array.isArray() || array.size() != channels) {
            throw invalid(path, "must be an array of " + channels + " numbers (one per channel)");
        }
        for (int c = 0; c < channels; c++) {
            if (!array.get(c).isNumber()) {
                throw invalid(path + "[" + c + "]", "must be a number");
            }
            values[c] = array.get(c).asDouble();
        }
        return values;
    }

    private static int positiveInt(JsonNode node, String field, String path) {
        JsonNode value = node.get(field);
        if (value == null || value.isNull()) {
            throw invalid(path, "is required");
        }
        if (!value.isIntegralNumber()) {
            throw invalid(path, "must be an integer");
        }
        if (value.asLong() <= 0 || value.asLong() > 16384) {
            throw invalid(path, "must be > 0 and at most 16384, got " + value.asLong());
        }
        return value.asInt();
    }

    private static String requiredText(JsonNode node, String field, String path) {
        String value = optionalText(node, field, path);
        if (value == null) {
            throw invalid(path, "is required");
        }
        return value;
    }

    private static String optionalText(JsonNode node, String field, String path) {
        JsonNode value = node.get(field);
        if (value == null || value.isNull()) {
            return null;
        }
        if (!value.isTextual() || value.asText().isBlank()) {
            throw invalid(path, "must be a non-empty string");
        }
        return value.asText();
    }

    private static double optionalNumber(JsonNode node, String field, String path, double fallback) {
        JsonNode value = node.get(field);
        if (value == null || value.isNull()) {
            return fallback;
        }
        if (!value.isNumber()) {
            throw invalid(path, "must be a number");
        }
        return value.asDouble();
    }

    private static void rejectUnknown(JsonNode node, Set<String> known, String prefix) {
        for (Iterator<String> it = node.fieldNames(); it.hasNext(); ) {
            String name = it.next();
            if (!known.contains(name)) {
                throw invalid(prefix + name, "is not a known field (known: " + String.join(", ", known.stream().sorted().toList()) + ")");
            }
        }
    }

    private static InvalidDescriptorException invalid(String path, String problem) {
        return new InvalidDescriptorException(PREFIX + (path.isEmpty() ? "" : path + " ") + problem);
    }
}
