package dev.lumen.explainer.tasks;

import dev.lumen.catalogue.Task;
import dev.lumen.explainer.model.FloatTensor;
import dev.lumen.explainer.model.ForwardResult;
import dev.lumen.explainer.model.LayerGeometry;
import dev.lumen.explainer.model.LoadedModel;
import dev.lumen.explainer.model.ModelInput;
import dev.lumen.explainer.targets.PixelScores;
import dev.lumen.explainer.targets.SegmentTarget;
import dev.lumen.explainer.targets.SegmentTargetSelector;
import dev.lumen.explainer.targets.Target;
import dev.lumen.explainer.targets.TargetSelector;
import dev.lumen.render.SaliencyMap;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** Semantic segmenters: a probability per output pixel and label; each predicted class is a segment. */
final class SegmentationAdapter implements TaskAdapter<PixelScores> {

    private final LoadedModel model;
    private final SegmentTargetSelector selector;

    SegmentationAdapter(LoadedModel model) {
        this.model = model;
        this.selector = new SegmentTargetSelector(model.descriptor().labels(), model.descriptor().background(),
                model.descriptor().scoreThreshold());
    }

    @Override
    public Task task() {
        return Task.SEMANTIC_SEGMENTATION;
    }

    @Override
    public List<PixelScores> decode(Map<String, FloatTensor> outputs, ModelInput input) {
        ForwardResult result = new ForwardResult(outputs, null);
        float[][] scores = model.labelScores(result);
        long[] shape = model.labelScoreShape(result);
        List<PixelScores> decoded = new ArrayList<>(scores.length);
        for (float[] image : scores) {
            decoded.add(new PixelScores(image, (int) shape[1], (int) shape[0], (int) shape[2]));
        }
        return decoded;
    }

    @Override
    public TargetSelector<PixelScores> selector() {
        return selector;
    }

    /** The segment's predicted pixels, spread evenly over the input as segmenters upsample their outputs. */
    @Override
    public SaliencyMap region(Target<PixelScores> target, ModelInput input) {
        SegmentTarget segment = (SegmentTarget) target;
        int pixels = segment.mask().length;
        float[] values = new float[pixels];
        for (int p = 0; p < pixels; p++) {
            values[p] = segment.mask()[p] ? 1 : 0;
        }
        int width = segment.width();
        int height = pixels / width;
        SaliencyMap outputMap = new SaliencyMap(values, width, height);
        return LayerGeometry.evenlySpread(width, height, input.width(), input.height())
                .toInput(outputMap, input.width(), input.height());
    }
}
