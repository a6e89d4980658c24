package dev.lumen.tfjs;

import dev.lumen.catalogue.Task;
import dev.lumen.explainer.model.DetectionLayout;
import dev.lumen.explainer.model.DetectionLayout.Activation;
import dev.lumen.explainer.model.DetectionLayout.Background;
import dev.lumen.explainer.model.DetectionLayout.BoxEncoding;
import dev.lumen.explainer.model.DetectionLayout.BoxUnits;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Predicate;

/**
 * Recognises how a detector's outputs hold its proposals, from their shapes (and names where shapes
 * cannot tell), and drafts the {@code detection} layout of {@code lumen-model.json} or the named
 * decoder that reads them (see {@code docs/decisions/0040-import-drafts-detection-layouts.md}):
 * <ul>
 *   <li>DETR: outputs named {@code *logits*} {@code [B, Q, C + 1]} and {@code *boxes*} {@code [B, Q, 4]};</li>
 *   <li>NanoDet: per stride, {@code [B, N, C]} class scores and {@code [B, N, 4 * bins]} box distributions,
 *       N the stride's grid points for the input size (decoder {@code nanodet});</li>
 *   <li>YOLOv8-seg: {@code [B, 4 + C + P, N]} rows beside {@code [B, P, h, w]} prototypes;</li>
 *   <li>one rank-3 output: {@code [B, N, 6]} packed rows (x1, y1, x2, y2, score, class), YOLOv5
 *       {@code [B, N, 5 + C]} or YOLOv8 {@code [B, 4 + C, N]}.</li>
 * </ul>
 * What a shape cannot prove (box units, class base, which of two columns counts is which) is
 * guessed, and every guess is returned as a check line for the import report.
 */
final class DetectionDraft {

    /** Packed rows: four box columns, a score and a class index. */
    private static final int PACKED_COLUMNS = 6;
    /** Post-processed exports keep at most a few hundred detections; raw heads have thousands of anchors. */
    private static final int MAX_PACKED_ROWS = 1000;
    private static final int[] NANODET_STRIDES = {8, 16, 32, 64, 128};

    /** A candidate output: its role if the user named one (else the signature key), the key, and its shape. */
    record Output(String role, String key, long[] shape) {
        int rank() {
            return shape == null ? -1 : shape.length;
        }

        long dim(int axis) {
            return shape[axis];
        }

        String describe() {
            return key + " " + Arrays.toString(shape);
        }
    }

    /**
     * What the import writes for the outputs.
     *
     * @param outputs output role to signature key: the roles the decoder reads, nothing else
     * @param decoder the named decoder, or null when {@link #layout} declares the outputs
     * @param layout the drafted layout, or null for a named decoder
     * @param labels how many classes the shapes imply, or null when they do not say
     */
    record Drafted(Map<String, String> outputs, String decoder, DetectionLayout layout, Integer labels) {
    }

    private final List<Output> outputs;
    private final Integer labels;
    private final Task task;
    private final int width;
    private final int height;
    private final Predicate<String> sigmoidProduced;
    private final List<String> checks;

    private DetectionDraft(List<Output> outputs, Integer labels, Task task, int width, int height,
            Predicate<String> sigmoidProduced, List<String> checks) {
        this.checks = checks;
        this.outputs = outputs;
        this.labels = labels;
        this.task = task;
        this.width = width;
        this.height = height;
        this.sigmoidProduced = sigmoidProduced;
    }

    /**
     * Drafts the detection outputs, or returns null when no known layout fits; what was guessed (or
     * why nothing fits, when the shapes come close) is added to {@code checks}.
     *
     * @param outputs the candidate outputs with their shapes (unknown shapes are skipped)
     * @param labels the number of labels given, or null
     * @param task detection or instance segmentation
     * @param width model input width
     * @param height model input height
     * @param sigmoidProduced whether a signature key's tensor comes from a Sigmoid (class scores)
     * @param checks receives one line per guess
     */
    static Drafted draft(List<Output> outputs, Integer labels, Task task, int width, int height,
            Predicate<String> sigmoidProduced, List<String> checks) {
        return new DetectionDraft(outputs.stream().filter(o -> o.shape() != null).toList(), labels, task, width, height,
                sigmoidProduced, checks).recognise();
    }

    private Drafted recognise() {
        if (task == Task.INSTANCE_SEGMENTATION) {
            return yolov8Seg();
        }
        Drafted drafted = objectDetectionApi();
        if (drafted == null) {
            drafted = detr();
        }
        if (drafted == null) {
            drafted = nanodet();
        }
        if (drafted == null) {
            drafted = singleRows();
        }
        return drafted;
    }

    /**
     * The TensorFlow Object Detection API's outputs, by their names: {@code detection_boxes},
     * {@code detection_scores} and {@code detection_classes} (plus {@code num_detections},
     * {@code detection_multiclass_scores} and {@code detection_masks} when present), read by the
     * {@code object-detection-api} decoder.
     */
    private Drafted objectDetectionApi() {
        List<String> required = List.of("detection_boxes", "detection_scores", "detection_classes");
        List<String> optional = List.of("num_detections", "detection_multiclass_scores", "detection_masks");
        Map<String, String> roles = new java.util.LinkedHashMap<>();
        for (String name : java.util.stream.Stream.concat(required.stream(), optional.stream()).toList()) {
            outputs.stream().filter(o -> o.key().equals(name) || o.key().endsWith("/" + name)).findFirst()
                    .ifPresent(o -> roles.put(name, o.key()));
        }
        if (!roles.keySet().containsAll(required)) {
            return null;
        }
        if (task == Task.INSTANCE_SEGMENTATION && !roles.containsKey("detection_masks")) {
            return null;
        }
        roles.remove(task == Task.DETECTION ? "detection_masks" : "");
        checks.add("decoder: object-detection-api, from the output names " + String.join(", ", roles.values())
                + " (boxes normalised y1, x1, y2, x2; classes 1-based label-map ids)");
        return new Drafted(roles, "object-detection-api", null, null);
    }

    /** {@code *logits*} [B, Q, C + 1] and {@code *boxes*} [B, Q, 4], matched by name and query count. */
    private Drafted detr() {
        Output logits = named("logits", o -> o.rank() == 3 && o.dim(2) >= 2);
        Output boxes = named("boxes", o -> o.rank() == 3 && o.dim(2) == 4);
        if (logits == null || boxes == null || logits.dim(1) != boxes.dim(1)) {
            return null;
        }
        int classes = (int) logits.dim(2) - 1;
        checkLabels(classes, "'" + logits.key() + "' has " + logits.dim(2) + " class columns (one per label plus"
                + " the 'no object' column)");
        checks.add("detection: DETR queries from the names '" + boxes.key() + "' and '" + logits.key() + "' (preset"
                + " detr): boxes normalised cx, cy, w, h; class logits through a softmax, 'no object' last");
        DetectionLayout layout = new DetectionLayout(List.of(role(boxes, "boxes"), role(logits, "logits")), false, 0,
                BoxEncoding.CXCYWH, BoxUnits.NORMALISED, null, null, null, 0, 4, Activation.SOFTMAX, Background.LAST,
                null, null, null);
        return layout(layout, Map.of(role(boxes, "boxes"), boxes.key(), role(logits, "logits"), logits.key()), classes);
    }

    /** Per stride a [B, N, C] and a [B, N, 4 * bins] output, N the stride's grid points; two strides at least. */
    private Drafted nanodet() {
        Map<Integer, List<Output>> byStride = new TreeMap<>();
        for (Output output : outputs) {
            if (output.rank() != 3) {
                continue;
            }
            for (int stride : NANODET_STRIDES) {
                if (ceilDiv(width, stride) * (long) ceilDiv(height, stride) == output.dim(1)) {
                    byStride.computeIfAbsent(stride, s -> new ArrayList<>()).add(output);
                }
            }
        }
        if (byStride.size() < 2 || byStride.values().stream().anyMatch(pair -> pair.size() != 2)) {
            return null;
        }
        Map<String, String> roles = new LinkedHashMap<>();
        Integer classes = null;
        String how = null;
        for (Map.Entry<Integer, List<Output>> level : byStride.entrySet()) {
            Output a = level.getValue().get(0);
            Output b = level.getValue().get(1);
            Output scores;
            if (sigmoidProduced.test(a.key()) != sigmoidProduced.test(b.key())) {
                scores = sigmoidProduced.test(a.key()) ? a : b;
                how = "the class scores come from a Sigmoid";
            } else if (labels != null && (a.dim(2) == labels) != (b.dim(2) == labels)) {
                scores = a.dim(2) == labels ? a : b;
                how = "the class scores have one column per label";
            } else {
                scores = a.dim(2) > b.dim(2) ? a : b;
                how = "guessed: the wider output of each stride holds the class scores";
            }
            Output boxes = scores == a ? b : a;
            if (boxes.dim(2) % 4 != 0 || boxes.dim(2) < 8) {
                return null;
            }
            if (classes != null && classes != scores.dim(2)) {
                return null;
            }
            classes = (int) scores.dim(2);
            roles.put("scores_stride" + level.getKey(), scores.key());
            roles.put("boxes_stride" + level.getKey(), boxes.key());
        }
        checkLabels(classes, "the class score outputs have " + classes + " columns");
        checks.add("decoder: nanodet, from " + byStride.size() + " strides " + byStride.keySet() + " whose point counts"
                + " match the " + width + "x" + height + " input (" + how + "); NanoDet also needs its own"
                + " preprocessing (its exports: BGR, --scale 1 --mean 103.53,116.28,123.675 --std 57.375,57.12,58.395)");
        return new Drafted(roles, "nanodet", null, classes);
    }

    /** One rank-3 output: packed rows, YOLOv5 or YOLOv8. */
    private Drafted singleRows() {
        List<Output> rank3 = outputs.stream().filter(o -> o.rank() == 3 && o.dim(1) > 0 && o.dim(2) > 0).toList();
        if (rank3.size() != 1) {
            return null;
        }
        Output rows = rank3.get(0);
        long a = rows.dim(1);
        long b = rows.dim(2);
        String shape = rows.describe();
        if (b == PACKED_COLUMNS && a > PACKED_COLUMNS && a <= MAX_PACKED_ROWS && (labels == null || labels != 1)) {
            checks.add("detection: packed rows from the shape of " + shape + " (preset packed): x1, y1, x2, y2 in"
                    + " input pixels, score, class index counted from 0; if the boxes are fractions of the input set"
                    + " \"boxUnits\": \"normalised\", if y comes first \"boxEncoding\": \"yxyx\", if class ids"
                    + " start at 1 \"classBase\": 1");
            if (labels == null) {
                checks.add("labels: packed rows hold a class index, so their shape does not say how many classes"
                        + " there are; give the real labels (--labels)");
            }
            DetectionLayout layout = new DetectionLayout(List.of(role(rows, "detections")), false, 0, BoxEncoding.XYXY,
                    BoxUnits.PIXELS, 4, null, 5, 0, null, Activation.NONE, Background.NONE, null, null, null);
            return layout(layout, Map.of(role(rows, "detections"), rows.key()), null);
        }
        boolean transposed;
        int classes;
        if (labels != null) {
            if (b == 5 + labels) {
                transposed = false;
            } else if (a == 4 + labels && b > a) {
                transposed = true;
            } else {
                checks.add("detection: no known layout fits " + shape + " with " + labels + " labels (YOLOv5 rows"
                        + " [B, N, 5 + " + labels + "], YOLOv8 [B, 4 + " + labels + ", N], packed [B, N, 6]); write the"
                        + " \"detection\" object yourself (explainer-core/README.md)");
                return null;
            }
            classes = labels;
        } else if (b > a && a > 4) {
            transposed = true;
            classes = (int) a - 4;
        } else if (a > b && b > 5) {
            transposed = false;
            classes = (int) b - 5;
        } else {
            return null;
        }
        if (transposed) {
            checks.add("detection: YOLOv8 head from the shape of " + shape + " (preset yolov8): transposed, cx, cy,"
                    + " w, h in input pixels, then " + classes + " class scores, no objectness");
        } else {
            checks.add("detection: YOLOv5 head from the shape of " + shape + " (preset yolov5): cx, cy, w, h in input"
                    + " pixels, objectness, then " + classes + " class scores (score = objectness x class score);"
                    + " an export with no objectness column has [B, N, 4 + C]: set \"classScores\": 4 and drop"
                    + " \"objectness\"");
        }
        checkLabels(classes, "the rows hold " + classes + " class columns");
        DetectionLayout layout = transposed
                ? new DetectionLayout(List.of(role(rows, "predictions")), true, 0, BoxEncoding.CXCYWH, BoxUnits.PIXELS,
                        null, null, null, 0, 4, Activation.NONE, Background.NONE, null, null, null)
                : new DetectionLayout(List.of(role(rows, "predictions")), false, 0, BoxEncoding.CXCYWH, BoxUnits.PIXELS,
                        null, 4, null, 0, 5, Activation.NONE, Background.NONE, null, null, null);
        return layout(layout, Map.of(role(rows, "predictions"), rows.key()), classes);
    }

    /** YOLOv8-seg: rows [B, 4 + C + P, N] and prototypes [B, P, h, w] (or [B, h, w, P]). */
    private Drafted yolov8Seg() {
        List<Output> rank3 = outputs.stream().filter(o -> o.rank() == 3 && o.dim(2) > o.dim(1)).toList();
        List<Output> rank4 = outputs.stream().filter(o -> o.rank() == 4).toList();
        if (rank3.size() != 1 || rank4.size() != 1) {
            return null;
        }
        Output rows = rank3.get(0);
        Output protos = rank4.get(0);
        boolean planesFirst = protos.dim(1) < protos.dim(3);
        int planes = (int) (planesFirst ? protos.dim(1) : protos.dim(3));
        int classes = (int) rows.dim(1) - 4 - planes;
        if (classes < 1) {
            return null;
        }
        checkLabels(classes, "the rows hold " + rows.dim(1) + " columns: 4 box, " + classes + " class and " + planes
                + " mask coefficient columns");
        checks.add("detection: YOLOv8-seg head from the shapes of " + rows.describe() + " and " + protos.describe()
                + " (preset yolov8 with prototypes): cx, cy, w, h in input pixels, " + classes + " class scores, "
                + planes + " mask coefficients weighing the prototypes");
        String rowsRole = role(rows, "predictions");
        String protosRole = role(protos, "prototypes");
        DetectionLayout layout = new DetectionLayout(List.of(rowsRole), true, 0, BoxEncoding.CXCYWH, BoxUnits.PIXELS,
                null, null, null, 0, 4, Activation.NONE, Background.NONE, null, protosRole, 4 + classes);
        return layout(layout, Map.of(rowsRole, rows.key(), protosRole, protos.key()), classes);
    }

    private Drafted layout(DetectionLayout layout, Map<String, String> roles, Integer classes) {
        return new Drafted(new TreeMap<>(roles), null, layout, classes);
    }

    private void checkLabels(int classes, String why) {
        if (labels != null && labels != classes) {
            checks.add("labels: " + labels + " given, but " + why + ", so the decoder expects " + classes
                    + "; the first run will refuse the mismatch");
        }
    }

    /** The only candidate whose key (or user role) contains {@code word}, matching {@code fits}. */
    private Output named(String word, Predicate<Output> fits) {
        List<Output> found = outputs.stream().filter(fits)
                .filter(o -> o.key().toLowerCase(Locale.ROOT).contains(word) || o.role().toLowerCase(Locale.ROOT).contains(word))
                .toList();
        return found.size() == 1 ? found.get(0) : null;
    }

    /** The user's role for the output, else {@code fallback}. */
    private static String role(Output output, String fallback) {
        return output.role().equals(output.key()) ? fallback : output.role();
    }

    private static int ceilDiv(int value, int divisor) {
        return (value + divisor - 1) / divisor;
    }
}
