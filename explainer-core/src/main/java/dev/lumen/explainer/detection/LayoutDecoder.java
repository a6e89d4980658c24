package dev.lumen.explainer.detection;

import dev.lumen.explainer.model.DetectionLayout;
import dev.lumen.explainer.model.DetectionLayout.Activation;
import dev.lumen.explainer.model.DetectionLayoutShapes;
import dev.lumen.explainer.model.FloatTensor;
import dev.lumen.explainer.model.ModelRunException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

/**
 * Reads proposals as a {@link DetectionLayout} declares them: packed rows, YOLOv5 and YOLOv8 heads,
 * DETR queries, with box-relative, whole-input or prototype masks. What the descriptor could not
 * know (the tensors' shapes) is checked on every decode, and a contradiction is an error naming the
 * {@code detection} field: a column beyond the row, class columns that do not match the labels,
 * "scores" outside [0, 1], a class index beyond the labels, or a box encoding under which most
 * proposals come out inverted (x2 &lt; x1).
 */
final class LayoutDecoder implements DetectionDecoder {

    /** Proposals needed before the inverted-box check judges an encoding. */
    private static final int MIN_PROPOSALS_FOR_BOX_CHECK = 4;
    /** Slack for scores that rounding pushed just outside [0, 1]. */
    private static final double SCORE_SLACK = 1e-3;

    private final DetectionLayout layout;

    LayoutDecoder(DetectionLayout layout) {
        this.layout = layout;
    }

    @Override
    public String name() {
        return DetectionLayout.DECODER;
    }

    @Override
    public List<String> roles() {
        return layout.roles();
    }

    @Override
    public List<String> scoreRoles(java.util.Set<String> declared) {
        return layout.rows();
    }

    @Override
    public List<Proposals> decode(Map<String, FloatTensor> outputs, int labels, int inputWidth, int inputHeight,
            double minScore) {
        Map<String, long[]> shapes = new java.util.HashMap<>();
        for (String role : layout.roles()) {
            shapes.put(role, Rows.output(outputs, role, role).shape());
        }
        DetectionLayoutShapes.check(layout, shapes, labels);
        Rows rows = Rows.read(layout, outputs);
        ClassColumns classColumns = layout.classScores() == null ? null : new ClassColumns(layout.classScores(),
                layout.background().columns(labels), layout.background().firstLabel());
        Prototypes prototypes = layout.prototypes() == null ? null : Prototypes.read(layout, outputs, rows);
        FloatTensor masks = layout.masks() == null ? null : perProposalMasks(outputs);
        List<Proposals> result = new ArrayList<>(rows.batch());
        for (int b = 0; b < rows.batch(); b++) {
            result.add(decodeImage(rows, b, labels, classColumns, prototypes, masks, inputWidth, inputHeight, minScore));
        }
        return result;
    }

    /** Where the class scores sit and how many there are, checked against the labels. */
    private record ClassColumns(int from, int count, int firstLabel) {
    }

    private Proposals decodeImage(Rows rows, int b, int labels, ClassColumns classColumns, Prototypes prototypes,
            FloatTensor masks, int inputWidth, int inputHeight, double minScore) {
        int n = rows.count();
        int k = rows.columns();
        float[] data = rows.image(b);
        double[] scores = new double[n];
        int[] kept = new int[n];
        int keptCount = 0;
        int inverted = 0;
        for (int i = 0; i < n; i++) {
            double score = score(data, i * k, classColumns, labels);
            if (!(score >= minScore)) {
                continue;
            }
            if (layout.classIndex() != null) {
                long label = Math.round(data[i * k + layout.classIndex()]) - layout.classBase();
                if (label >= labels) {
                    throw new ModelRunException(field("class") + " (column " + layout.classIndex() + ") holds class "
                            + (label + layout.classBase()) + " for a proposal scoring " + String.format("%.2f", score)
                            + ", but labels has " + labels + " entries (classBase " + layout.classBase() + ")");
                }
                if (label < 0) {
                    continue;
                }
            }
            double[] box = box(data, i * k, inputWidth, inputHeight);
            if (box[2] < box[0] - 1e-6 || box[3] < box[1] - 1e-6) {
                inverted++;
            }
            scores[i] = score;
            kept[keptCount++] = i;
        }
        if (keptCount >= MIN_PROPOSALS_FOR_BOX_CHECK && inverted * 2 > keptCount) {
            throw new ModelRunException(field("boxEncoding") + " '" + layout.boxEncoding().id() + "' gives x2 < x1 or"
                    + " y2 < y1 for " + inverted + " of " + keptCount + " proposals: the box columns "
                    + layout.box() + ".." + (layout.box() + 3) + " are in another encoding (one of "
                    + String.join(", ", Arrays.stream(DetectionLayout.BoxEncoding.values())
                            .map(DetectionLayout.BoxEncoding::id).toList()) + ") or elsewhere in the row");
        }
        int[] rowsKept = Arrays.copyOf(kept, keptCount);
        return new Proposals() {
            @Override
            public int size() {
                return rowsKept.length;
            }

            @Override
            public double score(int i) {
                return scores[rowsKept[i]];
            }

            @Override
            protected Detection decode(int i) {
                int row = rowsKept[i];
                int offset = row * k;
                double[] box = box(data, offset, inputWidth, inputHeight);
                float[] vector = classVector(data, offset, classColumns, labels);
                int label = layout.classIndex() != null
                        ? (int) (Math.round(data[offset + layout.classIndex()]) - layout.classBase()) : argMax(vector);
                float[] mask = null;
                if (prototypes != null) {
                    mask = prototypes.mask(b, Arrays.copyOfRange(data, offset + layout.maskCoefficients(),
                            offset + layout.maskCoefficients() + prototypes.planes()), box, inputWidth, inputHeight);
                } else if (masks != null) {
                    int maskHeight = (int) masks.shape()[2];
                    int maskWidth = (int) masks.shape()[3];
                    mask = InstanceMasks.paste(masks.data(), (b * rows.count() + row) * maskWidth * maskHeight,
                            maskWidth, maskHeight, box, inputWidth, inputHeight);
                }
                return new Detection(box, scores[row], label, vector, mask,
                        seed(rows, data, row, offset, classColumns, label));
            }
        };
    }

    /** The proposal's score: the score column (or the best class score) times objectness. */
    private double score(float[] data, int offset, ClassColumns classColumns, int labels) {
        double objectness = layout.objectness() == null ? 1
                : checkedScore("objectness", layout.objectness(), activate(data[offset + layout.objectness()]));
        if (layout.score() != null) {
            return checkedScore("score", layout.score(), activate(data[offset + layout.score()])) * objectness;
        }
        double best = 0;
        if (layout.activation() == Activation.SOFTMAX) {
            double[] p = softmax(data, offset, classColumns);
            for (int l = 0; l < labels; l++) {
                best = Math.max(best, p[classColumns.firstLabel() + l]);
            }
            return best;
        }
        for (int l = 0; l < labels; l++) {
            int column = classColumns.from() + classColumns.firstLabel() + l;
            best = Math.max(best, checkedScore("classScores", column, activate(data[offset + column])));
        }
        return best * objectness;
    }

    /** One score per label: the activated class scores times objectness, or one-hot of the class index. */
    private float[] classVector(float[] data, int offset, ClassColumns classColumns, int labels) {
        float[] vector = new float[labels];
        if (classColumns == null) {
            int label = (int) (Math.round(data[offset + layout.classIndex()]) - layout.classBase());
            vector[label] = 1;
            return vector;
        }
        double objectness = layout.objectness() == null ? 1 : activate(data[offset + layout.objectness()]);
        if (layout.activation() == Activation.SOFTMAX) {
            double[] p = softmax(data, offset, classColumns);
            for (int l = 0; l < labels; l++) {
                vector[l] = (float) p[classColumns.firstLabel() + l];
            }
            return vector;
        }
        for (int l = 0; l < labels; l++) {
            vector[l] = (float) (activate(data[offset + classColumns.from() + classColumns.firstLabel() + l]) * objectness);
        }
        return vector;
    }

    /**
     * The score's output elements and its derivative in each: the score column (or the label's class
     * score, or for a softmax every class logit of the row) and objectness. Null when they lie in
     * different outputs.
     */
    private ScoreSeed seed(Rows rows, float[] data, int row, int offset, ClassColumns classColumns, int label) {
        java.util.LinkedHashMap<Integer, Double> weights = new java.util.LinkedHashMap<>();
        double objectness = layout.objectness() == null ? 1 : activate(data[offset + layout.objectness()]);
        double base;
        if (layout.score() != null) {
            base = activate(data[offset + layout.score()]);
            weights.put(layout.score(), slope(data[offset + layout.score()]) * objectness);
        } else if (layout.activation() == Activation.SOFTMAX) {
            double[] p = softmax(data, offset, classColumns);
            int chosen = classColumns.firstLabel() + label;
            for (int c = 0; c < classColumns.count(); c++) {
                weights.put(classColumns.from() + c, p[chosen] * ((c == chosen ? 1 : 0) - p[c]));
            }
            base = p[chosen];
        } else {
            int column = classColumns.from() + classColumns.firstLabel() + label;
            base = activate(data[offset + column]);
            weights.put(column, slope(data[offset + column]) * objectness);
        }
        if (layout.objectness() != null) {
            weights.put(layout.objectness(), base * slope(data[offset + layout.objectness()]));
        }
        String role = null;
        int[] elements = new int[weights.size()];
        float[] values = new float[weights.size()];
        int i = 0;
        for (var entry : weights.entrySet()) {
            String columnRole = rows.roleOf(entry.getKey());
            if (role != null && !role.equals(columnRole)) {
                return null;
            }
            role = columnRole;
            elements[i] = rows.element(row, entry.getKey());
            values[i++] = (float) (double) entry.getValue();
        }
        return new ScoreSeed(role, elements, values);
    }

    /** The softmax over a row's class columns, background included, computed stably. */
    private static double[] softmax(float[] data, int offset, ClassColumns classColumns) {
        double max = Double.NEGATIVE_INFINITY;
        for (int c = 0; c < classColumns.count(); c++) {
            max = Math.max(max, data[offset + classColumns.from() + c]);
        }
        double[] p = new double[classColumns.count()];
        double sum = 0;
        for (int c = 0; c < p.length; c++) {
            p[c] = Math.exp(data[offset + classColumns.from() + c] - max);
            sum += p[c];
        }
        for (int c = 0; c < p.length; c++) {
            p[c] /= sum;
        }
        return p;
    }

    /** The derivative of {@link #activate} at {@code value}. */
    private double slope(double value) {
        if (layout.activation() != Activation.SIGMOID) {
            return 1;
        }
        double s = 1 / (1 + Math.exp(-value));
        return s * (1 - s);
    }

    private double activate(double value) {
        return layout.activation() == Activation.SIGMOID ? 1 / (1 + Math.exp(-value)) : value;
    }

    private double checkedScore(String field, int column, double value) {
        if (value < -SCORE_SLACK || value > 1 + SCORE_SLACK || Double.isNaN(value)) {
            throw new ModelRunException(field(field) + " (column " + column + ") holds " + String.format("%.3g", value)
                    + ", not a score in [0, 1]" + (layout.activation() == Activation.NONE
                    ? ": if the columns are logits, set activation 'sigmoid' (or 'softmax' for class scores)"
                    : "") + "; check that the column is the one meant");
        }
        return value;
    }

    private double[] box(float[] data, int offset, int inputWidth, int inputHeight) {
        int c = offset + layout.box();
        double[] corners = layout.boxEncoding().toCorners(data[c], data[c + 1], data[c + 2], data[c + 3]);
        if (layout.boxUnits() == DetectionLayout.BoxUnits.NORMALISED) {
            corners[0] *= inputWidth;
            corners[1] *= inputHeight;
            corners[2] *= inputWidth;
            corners[3] *= inputHeight;
        }
        return corners;
    }

    /** Per-proposal masks as {@code [B, N, h, w]} (a trailing channel of 1 dropped). */
    private FloatTensor perProposalMasks(Map<String, FloatTensor> outputs) {
        FloatTensor masks = Rows.output(outputs, layout.masks(), "masks");
        long[] shape = masks.shape();
        return shape.length == 5 ? new FloatTensor(Arrays.copyOf(shape, 4), masks.data()) : masks;
    }

    private static int argMax(float[] values) {
        int best = 0;
        for (int i = 1; i < values.length; i++) {
            if (values[i] > values[best]) {
                best = i;
            }
        }
        return best;
    }

    static String field(String name) {
        return "lumen-model.json: detection." + name;
    }

    /** The rows outputs as one {@code [B, N, K]} array, columns concatenated in the layout's order. */
    private record Rows(int batch, int count, int columns, float[] data, String describe, List<String> roles,
            int[] partOf, int[] columnInPart, int[] widths, boolean[] transposedParts) {

        static Rows read(DetectionLayout layout, Map<String, FloatTensor> outputs) {
            List<FloatTensor> parts = new ArrayList<>();
            List<String> shapes = new ArrayList<>();
            int batch = -1;
            int count = -1;
            int columns = 0;
            int[] widths = new int[layout.rows().size()];
            for (int r = 0; r < layout.rows().size(); r++) {
                String role = layout.rows().get(r);
                FloatTensor tensor = output(outputs, role, "rows[" + r + "]");
                long[] shape = tensor.shape();
                shapes.add(role + " " + Arrays.toString(shape));
                int rowsHere = (int) (shape.length == 2 ? shape[1] : layout.transposed() ? shape[2] : shape[1]);
                widths[r] = shape.length == 2 ? 1 : (int) (layout.transposed() ? shape[1] : shape[2]);
                batch = (int) shape[0];
                count = rowsHere;
                columns += widths[r];
                parts.add(tensor);
            }
            float[] data = new float[batch * count * columns];
            int[] partOf = new int[columns];
            int[] columnInPart = new int[columns];
            boolean[] transposedParts = new boolean[parts.size()];
            int start = 0;
            for (int r = 0; r < parts.size(); r++) {
                float[] part = parts.get(r).data();
                int width = widths[r];
                boolean transposed = layout.transposed() && parts.get(r).shape().length == 3;
                transposedParts[r] = transposed;
                for (int c = 0; c < width; c++) {
                    partOf[start + c] = r;
                    columnInPart[start + c] = c;
                }
                for (int b = 0; b < batch; b++) {
                    for (int n = 0; n < count; n++) {
                        int to = (b * count + n) * columns + start;
                        for (int c = 0; c < width; c++) {
                            data[to + c] = transposed ? part[(b * width + c) * count + n] : part[(b * count + n) * width + c];
                        }
                    }
                }
                start += width;
            }
            return new Rows(batch, count, columns, data, String.join(", ", shapes), layout.rows(), partOf, columnInPart,
                    widths, transposedParts);
        }

        /** The output role holding concatenated column {@code column}. */
        String roleOf(int column) {
            return roles.get(partOf[column]);
        }

        /** The index of (proposal {@code row}, column {@code column}) in one image's flattened output of its role. */
        int element(int row, int column) {
            int part = partOf[column];
            int width = widths[part];
            int c = columnInPart[column];
            return transposedParts[part] ? c * count + row : row * width + c;
        }

        float[] image(int b) {
            return Arrays.copyOfRange(data, b * count * columns, (b + 1) * count * columns);
        }

        static FloatTensor output(Map<String, FloatTensor> outputs, String role, String field) {
            FloatTensor tensor = outputs.get(role);
            if (tensor == null) {
                throw new ModelRunException(field(field) + " needs output role '" + role + "', which the model did not return");
            }
            return tensor;
        }
    }

    /** YOLO-seg prototypes, with the axis holding the P planes found from the coefficient count. */
    private record Prototypes(FloatTensor tensor, int planes, int width, int height, boolean planeMajor) {

        static Prototypes read(DetectionLayout layout, Map<String, FloatTensor> outputs, Rows rows) {
            FloatTensor tensor = Rows.output(outputs, layout.prototypes(), "prototypes");
            long[] shape = tensor.shape();
            int coefficients = rows.columns() - layout.maskCoefficients();
            if (shape.length == 4 && shape[3] == coefficients) {
                return new Prototypes(tensor, coefficients, (int) shape[2], (int) shape[1], false);
            }
            if (shape.length == 4 && shape[1] == coefficients) {
                return new Prototypes(tensor, coefficients, (int) shape[3], (int) shape[2], true);
            }
            throw new IllegalStateException("prototypes checked by DetectionLayoutShapes: " + Arrays.toString(shape));
        }

        float[] mask(int b, float[] coefficients, double[] box, int inputWidth, int inputHeight) {
            return InstanceMasks.fromPrototypes(coefficients, tensor.data(), b * planes * width * height, planes, width,
                    height, planeMajor, box, inputWidth, inputHeight);
        }
    }
}
