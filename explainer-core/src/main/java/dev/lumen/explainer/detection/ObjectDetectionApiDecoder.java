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
    public List<String> scoreRoles(java.util.Set<String> declared) {
        return List.of(SCORES);
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
                        : InstanceMasks.paste(masks.data(), row * maskWidth * maskHeight, maskWidth, maskHeight, box, inputWidth,
                                inputHeight);
                detections.add(new Detection(box, score, label, vector, mask, ScoreSeed.of(SCORES, n)));
            }
            result.add(Proposals.of(detections));
        }
        return result;
    }

    private static FloatTensor required(Map<String, FloatTensor> outputs, String role) {
        FloatTensor tensor = outputs.get(role);
        if (tensor == null) {
            throw new ModelRunException("decoder " + NAME + " needs an output with role '" + role + "'");
        }
        return tensor;
    }
}
