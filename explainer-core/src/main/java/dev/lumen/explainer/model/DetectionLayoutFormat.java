package dev.lumen.explainer.model;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.lumen.catalogue.Task;
import dev.lumen.explainer.model.DetectionLayout.Activation;
import dev.lumen.explainer.model.DetectionLayout.Background;
import dev.lumen.explainer.model.DetectionLayout.BoxEncoding;
import dev.lumen.explainer.model.DetectionLayout.BoxUnits;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Function;

/**
 * Reads and writes {@code lumen-model.json}'s {@code detection} object ({@link DetectionLayout}).
 * A {@code preset} fills the fields of a common export (see {@link Preset}); fields given beside it
 * override the preset's. Everything that can be checked without running the model is checked here:
 * unknown fields, output roles that are not declared, overlapping columns, combinations that
 * contradict each other. What needs the tensors' shapes (a column beyond the row, a class count that
 * does not match the labels) is checked by the decoder on the first run, with the same field names.
 */
public final class DetectionLayoutFormat {

    /** The root field holding the layout. */
    public static final String FIELD = "detection";

    private static final Set<String> FIELDS = Set.of(
            "preset", "rows", "transposed", "box", "boxEncoding", "boxUnits", "score", "objectness", "class",
            "classBase", "classScores", "activation", "background", "masks", "prototypes", "maskCoefficients");

    private DetectionLayoutFormat() {
    }

    /**
     * The fields of the common exports; a preset's {@code maskCoefficients} (for the -seg exports)
     * follow the class scores, which is where YOLO-seg writes them.
     */
    public enum Preset {
        /** YOLOv5 {@code [B, N, 5 + C]}: cx, cy, w, h in pixels, objectness, class scores. */
        YOLOV5("yolov5", Map.of("box", 0, "boxEncoding", "cxcywh", "boxUnits", "pixels", "objectness", 4,
                "classScores", 5)),
        /** YOLOv8 / YOLO11 {@code [B, 4 + C, N]}: transposed, no objectness. */
        YOLOV8("yolov8", Map.of("transposed", true, "box", 0, "boxEncoding", "cxcywh", "boxUnits", "pixels",
                "classScores", 4)),
        /** DETR: rows {@code [pred_boxes, pred_logits]}: normalised cx, cy, w, h, then C + 1 logits, no-object last. */
        DETR("detr", Map.of("box", 0, "boxEncoding", "cxcywh", "boxUnits", "normalised", "classScores", 4,
                "activation", "softmax", "background", "last")),
        /** Post-processed exports {@code [B, N, 6]}: x1, y1, x2, y2 in pixels, score, 0-based class (CenterNet in TF.js). */
        PACKED("packed", Map.of("box", 0, "boxEncoding", "xyxy", "boxUnits", "pixels", "score", 4, "class", 5,
                "classBase", 0));

        private final String id;
        private final Map<String, Object> fields;

        Preset(String id, Map<String, Object> fields) {
            this.id = id;
            this.fields = fields;
        }

        /** The name used in {@code detection.preset}. */
        public String id() {
            return id;
        }

        /** Known preset names. */
        public static List<String> ids() {
            return Arrays.stream(values()).map(Preset::id).toList();
        }
    }

    /**
     * Parses the {@code detection} object of a descriptor.
     *
     * @param node the object
     * @param task the descriptor's task (masks belong to instance segmentation only)
     * @param labels number of labels
     * @param outputs the descriptor's output roles
     * @throws InvalidDescriptorException naming the field
     */
    static DetectionLayout parse(JsonNode node, Task task, int labels, Map<String, String> outputs) {
        if (!task.detectsObjects()) {
            throw invalid("", "applies to tasks " + Task.DETECTION.id() + " and " + Task.INSTANCE_SEGMENTATION.id()
                    + " only, not " + task.id());
        }
        if (!node.isObject()) {
            throw invalid("", "must be an object");
        }
        for (Iterator<String> it = node.fieldNames(); it.hasNext(); ) {
            String name = it.next();
            if (!FIELDS.contains(name)) {
                throw invalid(name, "is not a known field (known: " + String.join(", ", new TreeSet<>(FIELDS)) + ")");
            }
        }
        Map<String, JsonNode> fields = withPreset(node);
        String masks = role(fields, "masks", outputs);
        String prototypes = role(fields, "prototypes", outputs);
        if (task == Task.DETECTION && (masks != null || prototypes != null)) {
            throw invalid(masks != null ? "masks" : "prototypes", "needs task "
                    + Task.INSTANCE_SEGMENTATION.id() + " (this descriptor says " + task.id() + ")");
        }
        List<String> rows = rows(fields.get("rows"), outputs, masks, prototypes);
        Integer classScores = column(fields, "classScores");
        Integer classIndex = column(fields, "class");
        Integer score = column(fields, "score");
        Background background = choice(fields, "background", Background.values(), Background::id, Background.NONE);
        Integer maskCoefficients = column(fields, "maskCoefficients");
        if (maskCoefficients == null && prototypes != null && classScores != null) {
            maskCoefficients = classScores + background.columns(labels);
        }
        DetectionLayout layout = new DetectionLayout(rows,
                bool(fields, "transposed"),
                requiredColumn(fields, "box"),
                choice(fields, "boxEncoding", BoxEncoding.values(), BoxEncoding::id, BoxEncoding.XYXY),
                choice(fields, "boxUnits", BoxUnits.values(), BoxUnits::id, BoxUnits.PIXELS),
                score, column(fields, "objectness"), classIndex,
                integer(fields, "classBase", 0),
                classScores,
                choice(fields, "activation", Activation.values(), Activation::id, Activation.NONE),
                background, masks, prototypes, maskCoefficients);
        check(layout, fields, task, labels);
        return layout;
    }

    /** Writes the layout in full (no preset), so a reader sees every column. */
    static void write(DetectionLayout layout, ObjectNode root) {
        ObjectNode node = root.putObject(FIELD);
        ArrayNode rows = node.putArray("rows");
        layout.rows().forEach(rows::add);
        if (layout.transposed()) {
            node.put("transposed", true);
        }
        node.put("box", layout.box());
        node.put("boxEncoding", layout.boxEncoding().id());
        node.put("boxUnits", layout.boxUnits().id());
        putColumn(node, "score", layout.score());
        putColumn(node, "objectness", layout.objectness());
        putColumn(node, "class", layout.classIndex());
        if (layout.classIndex() != null) {
            node.put("classBase", layout.classBase());
        }
        putColumn(node, "classScores", layout.classScores());
        if (layout.activation() != Activation.NONE) {
            node.put("activation", layout.activation().id());
        }
        if (layout.background() != Background.NONE) {
            node.put("background", layout.background().id());
        }
        if (layout.masks() != null) {
            node.put("masks", layout.masks());
        }
        if (layout.prototypes() != null) {
            node.put("prototypes", layout.prototypes());
            putColumn(node, "maskCoefficients", layout.maskCoefficients());
        }
    }

    private static void putColumn(ObjectNode node, String field, Integer column) {
        if (column != null) {
            node.put(field, column);
        }
    }

    /** The preset's fields overlaid with the ones given. */
    private static Map<String, JsonNode> withPreset(JsonNode node) {
        Map<String, JsonNode> fields = new LinkedHashMap<>();
        JsonNode presetNode = node.get("preset");
        if (presetNode != null && !presetNode.isNull()) {
            String id = presetNode.isTextual() ? presetNode.asText() : presetNode.toString();
            Preset preset = Arrays.stream(Preset.values()).filter(p -> p.id().equals(id)).findFirst()
                    .orElseThrow(() -> invalid("preset", "must be one of " + String.join(", ", Preset.ids())
                            + ", got '" + id + "'"));
            ObjectNode defaults = new com.fasterxml.jackson.databind.ObjectMapper().valueToTree(preset.fields);
            defaults.fields().forEachRemaining(e -> fields.put(e.getKey(), e.getValue()));
        }
        node.fields().forEachRemaining(e -> {
            if (!e.getKey().equals("preset")) {
                fields.put(e.getKey(), e.getValue());
            }
        });
        return fields;
    }

    private static List<String> rows(JsonNode node, Map<String, String> outputs, String masks, String prototypes) {
        if (node == null || node.isNull()) {
            List<String> candidates = outputs.keySet().stream()
                    .filter(role -> !role.equals(masks) && !role.equals(prototypes)).sorted().toList();
            if (candidates.size() != 1) {
                throw invalid("rows", "is required when outputs has several roles (" + String.join(", ", candidates)
                        + "): list the ones holding proposal rows, in column order");
            }
            return candidates;
        }
        List<JsonNode> items = new ArrayList<>();
        if (node.isTextual()) {
            items.add(node);
        } else if (node.isArray() && !node.isEmpty()) {
            node.forEach(items::add);
        } else {
            throw invalid("rows", "must be an output role or a non-empty array of output roles");
        }
        List<String> rows = new ArrayList<>();
        for (int i = 0; i < items.size(); i++) {
            String path = node.isArray() ? "rows[" + i + "]" : "rows";
            JsonNode item = items.get(i);
            if (!item.isTextual() || !outputs.containsKey(item.asText())) {
                throw invalid(path, "names " + item + ", which is not an output role (outputs: "
                        + String.join(", ", new TreeSet<>(outputs.keySet())) + ")");
            }
            rows.add(item.asText());
        }
        return rows;
    }

    private static String role(Map<String, JsonNode> fields, String field, Map<String, String> outputs) {
        JsonNode node = fields.get(field);
        if (node == null || node.isNull()) {
            return null;
        }
        if (!node.isTextual() || !outputs.containsKey(node.asText())) {
            throw invalid(field, "names " + node + ", which is not an output role (outputs: "
                    + String.join(", ", new TreeSet<>(outputs.keySet())) + ")");
        }
        return node.asText();
    }

    /** Combinations that cannot describe any tensor. */
    private static void check(DetectionLayout layout, Map<String, JsonNode> fields, Task task, int labels) {
        if (layout.score() == null && layout.classScores() == null) {
            throw invalid("", "needs a score column ('score') or class score columns ('classScores')");
        }
        if (layout.classIndex() == null && layout.classScores() == null) {
            throw invalid("", "needs a class index column ('class') or class score columns ('classScores')");
        }
        if (layout.classIndex() != null && layout.classScores() != null) {
            throw invalid("class", "and classScores contradict each other: give a class index column or class score"
                    + " columns, not both");
        }
        if (fields.containsKey("classBase") && layout.classIndex() == null) {
            throw invalid("classBase", "applies to a class index column ('class') only");
        }
        if (layout.classBase() < 0) {
            throw invalid("classBase", "must be 0 or more, got " + layout.classBase());
        }
        if (layout.activation() == Activation.SOFTMAX && layout.classScores() == null) {
            throw invalid("activation", "'softmax' needs class score columns ('classScores')");
        }
        if (layout.background() != Background.NONE && layout.classScores() == null) {
            throw invalid("background", "needs class score columns ('classScores')");
        }
        if (layout.activation() == Activation.SOFTMAX && layout.objectness() != null) {
            throw invalid("objectness", "contradicts activation 'softmax' (a softmax over classes with background"
                    + " already says whether there is an object)");
        }
        if (layout.masks() != null && layout.prototypes() != null) {
            throw invalid("masks", "and prototypes contradict each other: give per-proposal masks or prototypes");
        }
        if (layout.prototypes() != null && layout.maskCoefficients() == null) {
            throw invalid("maskCoefficients", "is required with prototypes");
        }
        if (layout.maskCoefficients() != null && layout.prototypes() == null) {
            throw invalid("maskCoefficients", "needs prototypes (the output the coefficients weigh)");
        }
        if (task == Task.INSTANCE_SEGMENTATION && !layout.hasMasks()) {
            throw invalid("", "of task " + task.id() + " needs 'masks' or 'prototypes'");
        }
        List<Span> spans = new ArrayList<>();
        spans.add(new Span("box", layout.box(), 4));
        addSpan(spans, "score", layout.score(), 1);
        addSpan(spans, "objectness", layout.objectness(), 1);
        addSpan(spans, "class", layout.classIndex(), 1);
        addSpan(spans, "classScores", layout.classScores(), layout.background().columns(labels));
        addSpan(spans, "maskCoefficients", layout.maskCoefficients(), 1);
        for (int i = 0; i < spans.size(); i++) {
            for (int j = 0; j < i; j++) {
                Span a = spans.get(i);
                Span b = spans.get(j);
                if (a.from() < b.from() + b.count() && b.from() < a.from() + a.count()) {
                    throw invalid(a.field(), "(" + a.describe() + ") overlaps " + b.field() + " (" + b.describe() + ")");
                }
            }
        }
    }

    private record Span(String field, int from, int count) {
        String describe() {
            return count == 1 ? "column " + from : "columns " + from + ".." + (from + count - 1);
        }
    }

    private static void addSpan(List<Span> spans, String field, Integer from, int count) {
        if (from != null) {
            spans.add(new Span(field, from, count));
        }
    }

    private static int requiredColumn(Map<String, JsonNode> fields, String field) {
        Integer column = column(fields, field);
        if (column == null) {
            throw invalid(field, "is required (the first of the four box columns)");
        }
        return column;
    }

    private static Integer column(Map<String, JsonNode> fields, String field) {
        JsonNode node = fields.get(field);
        if (node == null || node.isNull()) {
            return null;
        }
        if (!node.isIntegralNumber() || node.asLong() < 0 || node.asLong() > 1_000_000) {
            throw invalid(field, "must be a column index (an integer, 0 or more), got " + node);
        }
        return node.asInt();
    }

    private static int integer(Map<String, JsonNode> fields, String field, int fallback) {
        JsonNode node = fields.get(field);
        if (node == null || node.isNull()) {
            return fallback;
        }
        if (!node.isIntegralNumber()) {
            throw invalid(field, "must be an integer, got " + node);
        }
        return node.asInt();
    }

    private static boolean bool(Map<String, JsonNode> fields, String field) {
        JsonNode node = fields.get(field);
        if (node == null || node.isNull()) {
            return false;
        }
        if (!node.isBoolean()) {
            throw invalid(field, "must be true or false, got " + node);
        }
        return node.asBoolean();
    }

    private static <E> E choice(Map<String, JsonNode> fields, String field, E[] values, Function<E, String> id,
            E fallback) {
        JsonNode node = fields.get(field);
        if (node == null || node.isNull()) {
            return fallback;
        }
        for (E value : values) {
            if (node.isTextual() && id.apply(value).equals(node.asText())) {
                return value;
            }
        }
        throw invalid(field, "must be one of " + String.join(", ", Arrays.stream(values).map(id).toList())
                + ", got " + node);
    }

    private static InvalidDescriptorException invalid(String field, String problem) {
        return new InvalidDescriptorException(ModelDescriptor.FILE_NAME + ": " + FIELD + (field.isEmpty() ? "" : "." + field)
                + " " + problem);
    }
}
