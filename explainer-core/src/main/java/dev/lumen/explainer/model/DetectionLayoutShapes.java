package dev.lumen.explainer.model;

import java.util.Arrays;
import java.util.List;
import java.util.Map;

/**
 * Checks a {@link DetectionLayout} against its outputs' shapes: the same check on a signature's
 * static shapes (registration, without TensorFlow) and on the tensors of a run (the decoder), so a
 * layout that cannot read the outputs is refused wherever that is first known. Unknown dimensions
 * ({@code -1}) and unknown shapes ({@code null}) pass: the run checks them again with real ones.
 * Errors name the {@code detection} field.
 */
public final class DetectionLayoutShapes {

    private DetectionLayoutShapes() {
    }

    /**
     * What the rows outputs hold, where known.
     *
     * @param proposals rows per image, or -1 when unknown
     * @param columns columns of the concatenated row, or -1 when some output's width is unknown
     */
    public record Rows(long proposals, long columns) {
    }

    /**
     * Checks a model directory's declared layout against the shapes its signature declares, reading
     * {@code saved_model.pb} only (no TensorFlow runtime): what registration runs. A descriptor
     * without a declared layout passes.
     *
     * @throws InvalidDescriptorException naming the field that contradicts the shapes
     * @throws ModelLoadException when {@code saved_model.pb} cannot be read
     */
    public static void checkSavedModel(ModelDescriptor descriptor, java.nio.file.Path modelDir) {
        if (descriptor.detection() == null) {
            return;
        }
        Map<String, long[]> shapes = SavedModelFile.read(modelDir)
                .outputShapes(descriptor.input().signatureKey(), descriptor.outputs());
        check(descriptor.detection(), shapes, descriptor.labels().size());
    }

    /**
     * Checks the layout.
     *
     * @param shapes per output role its shape (batch first), null when unknown
     * @param labels the descriptor's label count
     * @throws InvalidDescriptorException naming the field that contradicts the shapes
     */
    public static Rows check(DetectionLayout layout, Map<String, long[]> shapes, int labels) {
        long proposals = -1;
        long columns = 0;
        StringBuilder described = new StringBuilder();
        List<String> rows = layout.rows();
        for (int r = 0; r < rows.size(); r++) {
            String field = "rows[" + r + "]";
            long[] shape = shapes.get(rows.get(r));
            if (shape == null) {
                columns = -1;
                continue;
            }
            described.append(described.isEmpty() ? "" : ", ").append(rows.get(r)).append(' ').append(Arrays.toString(shape));
            if (shape.length != 2 && shape.length != 3) {
                throw invalid(field, "('" + rows.get(r) + "') has shape " + Arrays.toString(shape)
                        + "; proposal rows are [batch, proposals, columns] ([batch, columns, proposals] with transposed)"
                        + " or [batch, proposals]");
            }
            long here = shape.length == 2 || !layout.transposed() ? shape[1] : shape[2];
            long width = shape.length == 2 ? 1 : layout.transposed() ? shape[1] : shape[2];
            if (proposals >= 0 && here >= 0 && here != proposals) {
                throw invalid(field, "('" + rows.get(r) + "') has " + here + " proposals per image but "
                        + rows.get(0) + " has " + proposals + ": rows outputs must agree (" + described + ")");
            }
            proposals = here >= 0 ? here : proposals;
            columns = columns < 0 || width < 0 ? -1 : columns + width;
        }
        if (columns >= 0) {
            checkColumns(layout, columns, labels, described.toString());
            checkPrototypes(layout, shapes, columns, described.toString());
        }
        checkMasks(layout, shapes, proposals);
        return new Rows(proposals, columns);
    }

    private static void checkColumns(DetectionLayout layout, long columns, int labels, String described) {
        checkColumn("box", layout.box() + 3L, columns, described);
        checkColumn("score", layout.score(), columns, described);
        checkColumn("objectness", layout.objectness(), columns, described);
        checkColumn("class", layout.classIndex(), columns, described);
        if (layout.classScores() != null) {
            long end = layout.maskCoefficients() != null ? layout.maskCoefficients() : columns;
            long count = end - layout.classScores();
            int expected = layout.background().columns(labels);
            if (count != expected) {
                throw invalid("classScores", ": the rows hold " + Math.max(0, count) + " class columns (columns "
                        + layout.classScores() + ".." + (end - 1) + " of " + described + ") but labels has " + labels
                        + " entries" + (layout.background() == DetectionLayout.Background.NONE ? ""
                                : " plus a background column") + ", so " + expected + " are expected");
            }
        }
    }

    private static void checkPrototypes(DetectionLayout layout, Map<String, long[]> shapes, long columns,
            String described) {
        if (layout.prototypes() == null) {
            return;
        }
        long coefficients = columns - layout.maskCoefficients();
        long[] shape = shapes.get(layout.prototypes());
        if (coefficients <= 0) {
            throw invalid("maskCoefficients", "is column " + layout.maskCoefficients() + ", beyond the rows' " + columns
                    + " columns (" + described + ")");
        }
        if (shape != null && (shape.length != 4 || (shape[3] != coefficients && shape[1] != coefficients))) {
            throw invalid("maskCoefficients", ": the rows hold " + coefficients + " coefficient columns from column "
                    + layout.maskCoefficients() + " (" + described + ") but prototypes ('" + layout.prototypes()
                    + "') has shape " + Arrays.toString(shape) + "; expected [batch, h, w, " + coefficients + "] or [batch, "
                    + coefficients + ", h, w]");
        }
    }

    private static void checkMasks(DetectionLayout layout, Map<String, long[]> shapes, long proposals) {
        long[] shape = layout.masks() == null ? null : shapes.get(layout.masks());
        if (shape == null) {
            return;
        }
        boolean rankOk = shape.length == 4 || shape.length == 5 && shape[4] == 1;
        if (!rankOk || proposals >= 0 && shape[1] >= 0 && shape[1] != proposals) {
            throw invalid("masks", "('" + layout.masks() + "') has shape " + Arrays.toString(shape) + "; expected [batch, "
                    + (proposals >= 0 ? proposals : "N") + " proposals, height, width]");
        }
    }

    private static void checkColumn(String field, Number column, long columns, String described) {
        if (column != null && column.longValue() >= columns) {
            throw invalid(field, "needs column " + column + ", beyond the rows' " + columns + " columns (" + described + ")");
        }
    }

    private static InvalidDescriptorException invalid(String field, String problem) {
        return new InvalidDescriptorException(ModelDescriptor.FILE_NAME + ": " + DetectionLayoutFormat.FIELD + "." + field
                + (problem.startsWith(":") ? "" : " ") + problem);
    }
}
