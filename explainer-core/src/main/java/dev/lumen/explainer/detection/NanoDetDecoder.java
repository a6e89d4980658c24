package dev.lumen.explainer.detection;

import dev.lumen.explainer.model.FloatTensor;
import dev.lumen.explainer.model.ModelRunException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * NanoDet's head ({@code nanodet}): per stride {@code s}, roles {@code scores_stride<s>}
 * [B, N, L] (class scores already through a sigmoid) and {@code boxes_stride<s>} [B, N, 4 * bins]
 * (for each side left, top, right, bottom a distribution over distances 0..bins-1 in units of the
 * stride). The N points of a stride are the centres of a {@code ceil(W / s) x ceil(H / s)} grid,
 * row-major, at {@code ((i + 0.5) s, (j + 0.5) s)}; each side's distance is the expectation of the
 * softmax over its bins, times the stride. A proposal's score is its best class score.
 */
final class NanoDetDecoder implements DetectionDecoder {

    static final String NAME = "nanodet";
    private static final Pattern SCORE_ROLE = Pattern.compile("scores_stride(\\d+)");

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public List<String> roles() {
        return List.of("scores_stride8", "boxes_stride8", "scores_stride16", "boxes_stride16", "scores_stride32",
                "boxes_stride32");
    }

    @Override
    public List<List<Detection>> decode(Map<String, FloatTensor> outputs, int labels, int inputWidth, int inputHeight,
            double minScore) {
        TreeSet<Integer> strides = new TreeSet<>();
        for (String role : outputs.keySet()) {
            Matcher matcher = SCORE_ROLE.matcher(role);
            if (matcher.matches()) {
                strides.add(Integer.parseInt(matcher.group(1)));
            }
        }
        if (strides.isEmpty()) {
            throw new ModelRunException("decoder " + NAME + " needs outputs with roles scores_stride<S> and boxes_stride<S>");
        }
        int batch = -1;
        List<List<Detection>> result = new ArrayList<>();
        for (int stride : strides) {
            FloatTensor scores = outputs.get("scores_stride" + stride);
            FloatTensor boxes = outputs.get("boxes_stride" + stride);
            if (boxes == null) {
                throw new ModelRunException("decoder " + NAME + ": output role boxes_stride" + stride + " is missing");
            }
            int columns = (inputWidth + stride - 1) / stride;
            int rows = (inputHeight + stride - 1) / stride;
            int points = columns * rows;
            if (scores.sampleSize() != points * labels) {
                throw new ModelRunException("decoder " + NAME + ": scores_stride" + stride + " has " + scores.sampleSize()
                        + " values per image, expected " + points + " points x " + labels + " labels");
            }
            int bins = boxes.sampleSize() / points / 4;
            if (bins < 1 || boxes.sampleSize() != points * 4 * bins) {
                throw new ModelRunException("decoder " + NAME + ": boxes_stride" + stride + " has " + boxes.sampleSize()
                        + " values per image, not " + points + " points x 4 sides x bins");
            }
            if (batch < 0) {
                batch = scores.batch();
                for (int b = 0; b < batch; b++) {
                    result.add(new ArrayList<>());
                }
            }
            float[] scoreData = scores.data();
            float[] boxData = boxes.data();
            double[] distances = new double[4];
            for (int b = 0; b < batch; b++) {
                List<Detection> detections = result.get(b);
                for (int p = 0; p < points; p++) {
                    int scoreOffset = (b * points + p) * labels;
                    int best = 0;
                    for (int c = 1; c < labels; c++) {
                        if (scoreData[scoreOffset + c] > scoreData[scoreOffset + best]) {
                            best = c;
                        }
                    }
                    double score = scoreData[scoreOffset + best];
                    // Decoding boxes costs a softmax per side: skip points that cannot matter.
                    if (score < minScore) {
                        continue;
                    }
                    int boxOffset = (b * points + p) * 4 * bins;
                    for (int side = 0; side < 4; side++) {
                        distances[side] = expectation(boxData, boxOffset + side * bins, bins) * stride;
                    }
                    double cx = (p % columns + 0.5) * stride;
                    double cy = (p / columns + 0.5) * stride;
                    double[] box = {cx - distances[0], cy - distances[1], cx + distances[2], cy + distances[3]};
                    float[] vector = new float[labels];
                    System.arraycopy(scoreData, scoreOffset, vector, 0, labels);
                    detections.add(new Detection(box, score, best, vector, null));
                }
            }
        }
        return result;
    }

    /** The mean bin index under the softmax of {@code bins} logits. */
    private static double expectation(float[] logits, int offset, int bins) {
        double max = Double.NEGATIVE_INFINITY;
        for (int i = 0; i < bins; i++) {
            max = Math.max(max, logits[offset + i]);
        }
        double sum = 0;
        double weighted = 0;
        for (int i = 0; i < bins; i++) {
            double e = Math.exp(logits[offset + i] - max);
            sum += e;
            weighted += e * i;
        }
        return weighted / sum;
    }
}
