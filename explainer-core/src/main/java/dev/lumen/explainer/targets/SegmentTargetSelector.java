package dev.lumen.explainer.targets;

import dev.lumen.catalogue.Task;
import dev.lumen.explainer.Prediction;
import dev.lumen.explainer.detection.Boxes;
import dev.lumen.explainer.model.InputGeometry;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;

/**
 * Chooses which segments of a semantic segmenter to explain: one per class predicted at some pixel,
 * background excepted. A pixel is predicted as its best class (as the single sigmoid channel's label
 * for one-label segmenters) when that class's probability reaches the score threshold. A class the
 * user asks for is explained over its predicted pixels, or over the whole image when it has none
 * ("where would it be?").
 *
 * <p>Outputs may be coarser than the model input: an output pixel covers an equal share of the
 * input, which is how segmenters' outputs are upsampled.
 */
public final class SegmentTargetSelector implements TargetSelector<PixelScores> {

    /** Each target costs a gradient row and a map: more segments than this are reported, not explained. */
    public static final int MAX_TARGETS = 20;
    private static final String KIND = Task.SEMANTIC_SEGMENTATION.predictionKind();

    private final List<String> labels;
    private final Integer background;
    private final double threshold;

    /**
     * A selector for a segmenter's labels.
     *
     * @param background label index of the background class, or null
     * @param threshold least probability for a pixel to count as predicted
     */
    public SegmentTargetSelector(List<String> labels, Integer background, double threshold) {
        this.labels = List.copyOf(labels);
        this.background = background;
        this.threshold = threshold;
    }

    /**
     * Selects segments from one image's per-pixel probabilities.
     *
     * @param pixelScores probabilities per output pixel and channel
     * @param chosenIndex a label index the user asked for, or null
     * @param geometry where the original image lies in the model input (for boxes)
     */
    @Override
    public TargetSelection<PixelScores> select(PixelScores pixelScores, Integer chosenIndex, InputGeometry geometry) {
        float[] scores = pixelScores.scores();
        int height = pixelScores.height();
        int width = pixelScores.width();
        int channels = pixelScores.channels();
        Segment[] segments = new Segment[channels];
        int[] predicted = predictedClasses(scores, width * height, channels);
        for (int p = 0; p < predicted.length; p++) {
            int c = predicted[p];
            if (c >= 0) {
                if (segments[c] == null) {
                    segments[c] = new Segment(c, width * height);
                }
                segments[c].add(p % width, p / width, p, scores[p * channels + c]);
            }
        }
        List<Segment> found = Arrays.stream(segments)
                .filter(s -> s != null && (background == null || s.channel != background))
                .sorted(Comparator.comparingDouble(Segment::meanScore).reversed())
                .toList();
        List<Prediction> predictions = found.stream().map(s -> s.prediction(width, height, geometry)).toList();
        List<Target<PixelScores>> targets = new ArrayList<>();
        if (chosenIndex != null) {
            int channel = channels == 1 ? 0 : chosenIndex;
            Segment chosen = segments[channel] != null ? segments[channel] : wholeImage(scores, width * height, channel, channels);
            targets.add(chosen.target(width, height, geometry, channels));
        } else {
            found.stream().limit(MAX_TARGETS).forEach(s -> targets.add(s.target(width, height, geometry, channels)));
        }
        return new TargetSelection<>(predictions, targets, targets.isEmpty() ? TargetSelection.belowThreshold(threshold) : null);
    }

    /** Per pixel, the predicted channel, or -1. */
    private int[] predictedClasses(float[] scores, int pixels, int channels) {
        int[] predicted = new int[pixels];
        for (int p = 0; p < pixels; p++) {
            int best = 0;
            for (int c = 1; c < channels; c++) {
                if (scores[p * channels + c] > scores[p * channels + best]) {
                    best = c;
                }
            }
            predicted[p] = scores[p * channels + best] >= threshold ? best : -1;
        }
        return predicted;
    }

    private Segment wholeImage(float[] scores, int pixels, int channel, int channels) {
        Segment segment = new Segment(channel, pixels);
        for (int p = 0; p < pixels; p++) {
            segment.add(0, 0, p, scores[p * channels + channel]);
        }
        segment.whole = true;
        return segment;
    }

    /** The pixels of one class, with their bounding box in output pixels and their summed probability. */
    private final class Segment {
        private final int channel;
        private final boolean[] mask;
        private int pixels;
        private double sum;
        private int minX = Integer.MAX_VALUE;
        private int minY = Integer.MAX_VALUE;
        private int maxX = -1;
        private int maxY = -1;
        private boolean whole;

        Segment(int channel, int size) {
            this.channel = channel;
            this.mask = new boolean[size];
        }

        void add(int x, int y, int p, float score) {
            mask[p] = true;
            pixels++;
            sum += score;
            minX = Math.min(minX, x);
            minY = Math.min(minY, y);
            maxX = Math.max(maxX, x);
            maxY = Math.max(maxY, y);
        }

        double meanScore() {
            return sum / pixels;
        }

        Prediction prediction(int width, int height, InputGeometry geometry) {
            double sx = geometry.inputWidth() / (double) width;
            double sy = geometry.inputHeight() / (double) height;
            double[] inputBox = whole ? new double[] {0, 0, geometry.inputWidth(), geometry.inputHeight()}
                    : new double[] {minX * sx, minY * sy, (maxX + 1) * sx, (maxY + 1) * sy};
            String label = channel < labels.size() ? labels.get(channel) : "label_" + channel;
            return new Prediction(KIND, label, channel, meanScore(), Boxes.toOriginal(inputBox, geometry));
        }

        SegmentTarget target(int width, int height, InputGeometry geometry, int channels) {
            return new SegmentTarget(prediction(width, height, geometry), mask, width, channel, channels);
        }
    }
}
