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
    public List<String> scoreRoles(java.util.Set<String> declared) {
        return declared.stream().filter(role -> SCORE_ROLE.matcher(role).matches()).sorted().toList();
    }

    @Override
    public List<Proposals> decode(Map<String, FloatTensor> outputs, int labels, int inputWidth, int inputHeight,
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
        List<Level> levels = new ArrayList<>();
        for (int stride : strides) {
            levels.add(level(outputs, stride, labels, inputWidth, inputHeight));
        }
        int batch = levels.get(0).scores().batch();
        List<Proposals> result = new ArrayList<>(batch);
        for (int b = 0; b < batch; b++) {
            result.add(new ImageProposals(levels, b, labels, minScore));
        }
        return result;
    }

    private static Level level(Map<String, FloatTensor> outputs, int stride, int labels, int inputWidth,
            int inputHeight) {
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
        return new Level(stride, columns, points, bins, scores, boxes);
    }

    /** One stride's outputs and grid. */
    private record Level(int stride, int columns, int points, int bins, FloatTensor scores, FloatTensor boxes) {
    }

    /**
     * One image's points scoring at least the floor: their scores (the best class score) are found
     * up front, boxes (four softmaxes) and class vectors only for the points asked for.
     */
    private static final class ImageProposals extends Proposals {

        private final List<Level> levels;
        private final int image;
        private final int labels;
        private final double[] scores;
        private final int[] labelOf;
        private final int[] levelOf;
        private final int[] pointOf;
        private final int size;

        ImageProposals(List<Level> levels, int image, int labels, double minScore) {
            this.levels = levels;
            this.image = image;
            this.labels = labels;
            int capacity = levels.stream().mapToInt(Level::points).sum();
            scores = new double[capacity];
            labelOf = new int[capacity];
            levelOf = new int[capacity];
            pointOf = new int[capacity];
            int count = 0;
            for (int l = 0; l < levels.size(); l++) {
                Level level = levels.get(l);
                float[] data = level.scores().data();
                for (int p = 0; p < level.points(); p++) {
                    int offset = (image * level.points() + p) * labels;
                    int best = 0;
                    for (int c = 1; c < labels; c++) {
                        if (data[offset + c] > data[offset + best]) {
                            best = c;
                        }
                    }
                    double score = data[offset + best];
                    if (score < minScore) {
                        continue;
                    }
                    scores[count] = score;
                    labelOf[count] = best;
                    levelOf[count] = l;
                    pointOf[count] = p;
                    count++;
                }
            }
            size = count;
        }

        @Override
        public int size() {
            return size;
        }

        @Override
        public double score(int i) {
            return scores[i];
        }

        @Override
        protected Detection decode(int i) {
            Level level = levels.get(levelOf[i]);
            int stride = level.stride();
            int point = image * level.points() + pointOf[i];
            int boxOffset = point * 4 * level.bins();
            float[] boxData = level.boxes().data();
            double[] distances = new double[4];
            for (int side = 0; side < 4; side++) {
                distances[side] = expectation(boxData, boxOffset + side * level.bins(), level.bins()) * stride;
            }
            double cx = (pointOf[i] % level.columns() + 0.5) * stride;
            double cy = (pointOf[i] / level.columns() + 0.5) * stride;
            double[] box = {cx - distances[0], cy - distances[1], cx + distances[2], cy + distances[3]};
            float[] vector = new float[labels];
            System.arraycopy(level.scores().data(), point * labels, vector, 0, labels);
            return new Detection(box, scores[i], labelOf[i], vector, null,
                    ScoreSeed.of("scores_stride" + stride, pointOf[i] * labels + labelOf[i]));
        }
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
