package dev.lumen.explainer.model;

import java.util.List;

/**
 * How a detector's output tensors hold its proposals, declared in {@code lumen-model.json}'s
 * {@code detection} object instead of a decoder class per model family (see
 * {@code docs/decisions/0013-declarative-detection-layouts.md}). The proposals are rows: the
 * {@link #rows} outputs are {@code [B, N, K]} (or {@code [B, K, N]} when {@link #transposed}; a
 * {@code [B, N]} output adds one column), and their columns are concatenated in the order given, so
 * DETR's {@code pred_boxes} and {@code pred_logits} read as one row of {@code 4 + C + 1} columns.
 * Column indices below refer to that concatenated row.
 *
 * @param rows output roles holding the proposal rows, in column order
 * @param transposed whether the rows outputs are {@code [B, K, N]} (YOLOv8 and YOLO11 exports)
 * @param box first of the four box columns
 * @param boxEncoding the order and meaning of the four box columns
 * @param boxUnits whether boxes are in model-input pixels or normalised to [0, 1]
 * @param score the confidence column, or null when the score comes from the class scores
 * @param objectness the objectness column multiplied into the score (YOLOv5), or null
 * @param classIndex the column holding a class index (packed rows), or null
 * @param classBase the class index of {@code labels[0]} in the class index column (1 for label-map ids)
 * @param classScores first of the class score columns (one per label, plus a background column when
 *     {@link #background} says where), running to {@link #maskCoefficients} or the end of the row; or null
 * @param activation applied to the class scores (sigmoid also to objectness) before use
 * @param background where the class scores hold a background ("no object") column, or NONE
 * @param masks output role of per-proposal masks {@code [B, N, h, w]} (whole input or box-relative), or null
 * @param prototypes output role of YOLO-seg prototype masks {@code [B, h, w, P]} or {@code [B, P, h, w]}, or null
 * @param maskCoefficients first of the P mask coefficient columns (with {@link #prototypes}), or null
 */
public record DetectionLayout(
        List<String> rows,
        boolean transposed,
        int box,
        BoxEncoding boxEncoding,
        BoxUnits boxUnits,
        Integer score,
        Integer objectness,
        Integer classIndex,
        int classBase,
        Integer classScores,
        Activation activation,
        Background background,
        String masks,
        String prototypes,
        Integer maskCoefficients) {

    /** The {@code decoder} name of declared layouts (implied when {@code detection} is present). */
    public static final String DECODER = "layout";

    /** Copies the list, so a layout never changes after construction. */
    public DetectionLayout {
        rows = List.copyOf(rows);
    }

    /** Whether proposals carry instance masks (directly or from prototypes). */
    public boolean hasMasks() {
        return masks != null || prototypes != null;
    }

    /** Every output role this layout reads. */
    public List<String> roles() {
        List<String> roles = new java.util.ArrayList<>(rows);
        if (masks != null) {
            roles.add(masks);
        }
        if (prototypes != null) {
            roles.add(prototypes);
        }
        return List.copyOf(roles);
    }

    /** The order and meaning of a box's four columns. */
    public enum BoxEncoding {
        /** Left, top, right, bottom. */
        XYXY("xyxy"),
        /** Top, left, bottom, right (the Object Detection API's order). */
        YXYX("yxyx"),
        /** Left, top, width, height (COCO's order). */
        XYWH("xywh"),
        /** Centre x, centre y, width, height (YOLO and DETR). */
        CXCYWH("cxcywh");

        private final String id;

        BoxEncoding(String id) {
            this.id = id;
        }

        /** The name used in {@code lumen-model.json}. */
        public String id() {
            return id;
        }

        /** {@code x1, y1, x2, y2} from the four columns {@code a, b, c, d}. */
        public double[] toCorners(double a, double b, double c, double d) {
            return switch (this) {
                case XYXY -> new double[] {a, b, c, d};
                case YXYX -> new double[] {b, a, d, c};
                case XYWH -> new double[] {a, b, a + c, b + d};
                case CXCYWH -> new double[] {a - c / 2, b - d / 2, a + c / 2, b + d / 2};
            };
        }
    }

    /** What a box coordinate is measured in. */
    public enum BoxUnits {
        /** Pixels of the model input. */
        PIXELS("pixels"),
        /** Fractions of the model input's width and height. */
        NORMALISED("normalised");

        private final String id;

        BoxUnits(String id) {
            this.id = id;
        }

        /** The name used in {@code lumen-model.json}. */
        public String id() {
            return id;
        }
    }

    /** What turns the class score columns into scores in [0, 1]. */
    public enum Activation {
        /** The columns already are scores. */
        NONE("none"),
        /** Independent sigmoid per column (and on objectness). */
        SIGMOID("sigmoid"),
        /** Softmax over the class columns, background included. */
        SOFTMAX("softmax");

        private final String id;

        Activation(String id) {
            this.id = id;
        }

        /** The name used in {@code lumen-model.json}. */
        public String id() {
            return id;
        }
    }

    /** Where the class score columns hold a background ("no object") column. */
    public enum Background {
        /** No background column: one column per label. */
        NONE("none"),
        /** Background first, then one column per label (the Object Detection API). */
        FIRST("first"),
        /** One column per label, then background (DETR's "no object"). */
        LAST("last");

        private final String id;

        Background(String id) {
            this.id = id;
        }

        /** The name used in {@code lumen-model.json}. */
        public String id() {
            return id;
        }

        /** Class score columns for {@code labels} labels. */
        public int columns(int labels) {
            return this == NONE ? labels : labels + 1;
        }

        /** Offset of {@code labels[0]} among the class score columns. */
        public int firstLabel() {
            return this == FIRST ? 1 : 0;
        }
    }
}
