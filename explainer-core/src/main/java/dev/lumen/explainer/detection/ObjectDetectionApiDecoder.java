package dev.lumen.explainer.detection;

import dev.lumen.explainer.model.FloatTensor;
import dev.lumen.explainer.model.ModelRunException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The TensorFlow Object Detection API's output convention ({@code object-detection-api}):
 * <ul>
 *   <li>{@code detection_boxes} [B, N, 4]: {@code y1, x1, y2, x2} normalised to the input (required)</li>
 *   <li>{@code detection_scores} [B, N] (required)</li>
 *   <li>{@code detection_classes} [B, N]: label-map ids, 1-based as the API writes them, so id
 *       {@code k} is {@code labels[k - 1]} (required)</li>
 *   <li>{@code num_detections} [B]: how many of the N rows are valid (optional; default all)</li>
 *   <li>{@code detection_multiclass_scores} [B, N, L or L + 1]: the class vector, with background
 *       first when it has L + 1 columns (optional; default one-hot of the class)</li>
 *   <li>{@code detection_masks} [B, N, h, w]: instance masks, either over the whole input (h, w the
 *       input size) or relative to the box, as the API's un-reframed masks are (optional)</li>
 * </ul>
 */
final class ObjectDetectionApiDecoder implements DetectionDecoder {

    static final String NAME = "object-detection-api";
    static final String BOXES = "detection_boxes";
    static final String SCORES = "detection_scores";
    static final String CLASSES = "detection_classes";
    static final String COUNT = "num_detections";
    static final String MULTICLASS = "detection_multiclass_scores";
    static final String MASKS = "detection_masks";

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public List<String> roles() {
        return List.of(BOXES, SCORES, CLASSES, COUNT, MULTICLASS, MASKS);
    }

    @Override
    public List<Proposals> decode(Map<String, FloatTensor> outputs, int labels, int inputWidth, int inputHeight,
            double minScore) {
        FloatTensor boxes = required(outputs, BOXES);
        FloatTensor scores = required(outputs, SCORES);
        FloatTensor classes = required(outputs, CLASSES);
        FloatTensor count = outputs.get(COUNT);
        FloatTensor multiclass = outputs.get(MULTICLASS);
        FloatTensor masks = outputs.get(MASKS);
        int batch = boxes.batch();
        int rows = scores.sampleSize();
        int classColumns = multiclass == null ? 0 : multiclass.sampleSize() / rows;
        if (multiclass != null && classColumns != labels && classColumns != labels + 1) {
            throw new ModelRunException(MULTICLASS + " has " + classColumns + " columns; expected " + labels + " or "
                    + (labels + 1) + " (background first)");
        }
        int maskHeight = masks == null ? 0 : (int) masks.shape()[2];
        int maskWidth = masks == null ? 0 : (int) masks.shape()[3];
        List<Proposals> result = new ArrayList<>(batch);
        float[] boxData = boxes.data();
        float[] scoreData = scores.data();
        float[] classData = classes.data();
        for (int b = 0; b < batch; b++) {
            int valid = count == null ? rows : Math.min(rows, Math.round(count.data()[b]));
            List<Detection> detections = new ArrayList<>();
            for (int n = 0; n < valid; n++) {
                int row = b * rows + n;
                double score = scoreData[row];
                int label = Math.round(classData[row]) - 1;
                if (score < minScore || label < 0 || label >= labels) {
                    continue;
                }
                double[] box = {
                    boxData[row * 4 + 1] * inputWidth, boxData[row * 4] * inputHeight,
                    boxData[row * 4 + 3] * inputWidth, boxData[row * 4 + 2] * inputHeight};
                float[] vector = new float[labels];
                if (multiclass == null) {
                    vector[label] = 1;
                } else {
                    System.arraycopy(multiclass.data(), row * classColumns + classColumns - labels, vector, 0, labels);
                }
                float[] mask = masks == null ? null
                        : pasteMask(masks.data(), row * maskWidth * maskHeight, maskWidth, maskHeight, box, inputWidth,
                                inputHeight);
                detections.add(new Detection(box, score, label, vector, mask));
            }
            result.add(Proposals.of(detections));
        }
        return result;
    }

    /**
     * The mask over the whole input: copied when it already has the input's size, else a
     * box-relative mask stretched into its box (bilinear).
     */
    private static float[] pasteMask(float[] data, int offset, int maskWidth, int maskHeight, double[] box,
            int inputWidth, int inputHeight) {
        float[] mask = new float[inputWidth * inputHeight];
        if (maskWidth == inputWidth && maskHeight == inputHeight) {
            System.arraycopy(data, offset, mask, 0, mask.length);
            return mask;
        }
        double boxWidth = box[2] - box[0];
        double boxHeight = box[3] - box[1];
        if (boxWidth <= 0 || boxHeight <= 0) {
            return mask;
        }
        int x0 = Math.max(0, (int) Math.floor(box[0]));
        int y0 = Math.max(0, (int) Math.floor(box[1]));
        int x1 = Math.min(inputWidth, (int) Math.ceil(box[2]));
        int y1 = Math.min(inputHeight, (int) Math.ceil(box[3]));
        for (int y = y0; y < y1; y++) {
            double v = Math.max(0, Math.min(maskHeight - 1, (y + 0.5 - box[1]) / boxHeight * maskHeight - 0.5));
            int vi = Math.min(maskHeight - 2 < 0 ? 0 : maskHeight - 2, (int) v);
            double fv = maskHeight == 1 ? 0 : v - vi;
            for (int x = x0; x < x1; x++) {
                double u = Math.max(0, Math.min(maskWidth - 1, (x + 0.5 - box[0]) / boxWidth * maskWidth - 0.5));
                int ui = Math.min(maskWidth - 2 < 0 ? 0 : maskWidth - 2, (int) u);
                double fu = maskWidth == 1 ? 0 : u - ui;
                int ui1 = Math.min(maskWidth - 1, ui + 1);
                int vi1 = Math.min(maskHeight - 1, vi + 1);
                double top = data[offset + vi * maskWidth + ui] * (1 - fu) + data[offset + vi * maskWidth + ui1] * fu;
                double bottom = data[offset + vi1 * maskWidth + ui] * (1 - fu) + data[offset + vi1 * maskWidth + ui1] * fu;
                mask[y * inputWidth + x] = (float) (top * (1 - fv) + bottom * fv);
            }
        }
        return mask;
    }

    private static FloatTensor required(Map<String, FloatTensor> outputs, String role) {
        FloatTensor tensor = outputs.get(role);
        if (tensor == null) {
            throw new ModelRunException("decoder " + NAME + " needs an output with role '" + role + "'");
        }
        return tensor;
    }
}
