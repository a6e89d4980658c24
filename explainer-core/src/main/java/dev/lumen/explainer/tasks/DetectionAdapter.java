package dev.lumen.explainer.tasks;

import dev.lumen.catalogue.Task;
import dev.lumen.explainer.detection.DetectionDecoder;
import dev.lumen.explainer.detection.DetectionDecoders;
import dev.lumen.explainer.detection.Proposals;
import dev.lumen.explainer.model.FloatTensor;
import dev.lumen.explainer.model.LoadedModel;
import dev.lumen.explainer.model.ModelInput;
import dev.lumen.explainer.targets.DetectionTargetSelector;
import dev.lumen.explainer.targets.TargetSelector;
import java.util.List;
import java.util.Map;

/** Detectors and instance segmenters: every proposal the descriptor's decoder reads, boxes in model-input pixels. */
final class DetectionAdapter implements TaskAdapter<Proposals> {

    /**
     * Proposals below this score are dropped. A proposal's similarity is at most its score, so this
     * only zeroes weights under 0.01; proposals that cannot beat a target's best are never decoded
     * anyway (see {@link dev.lumen.explainer.targets.DetectionTarget#similarity(Proposals)}).
     */
    private static final double MIN_PROPOSAL_SCORE = 0.01;
    private static final int MIN_LAYER_CELLS = 24;

    private final LoadedModel model;
    private final DetectionDecoder decoder;
    private final DetectionTargetSelector selector;

    DetectionAdapter(LoadedModel model) {
        this.model = model;
        this.decoder = DetectionDecoders.forDescriptor(model.descriptor());
        this.selector = new DetectionTargetSelector(model.descriptor().labels(), model.descriptor().scoreThreshold());
    }

    @Override
    public Task task() {
        return model.descriptor().task();
    }

    @Override
    public List<Proposals> decode(Map<String, FloatTensor> outputs, ModelInput input) {
        return decoder.decode(outputs, model.descriptor().labels().size(), input.width(), input.height(),
                MIN_PROPOSAL_SCORE);
    }

    /**
     * Detections are often small: a map coarser than 24 x 24 cannot put its peak inside a box a
     * tenth of the image wide, so gradient methods explain at the last layer at least this fine
     * (decision 0014).
     */
    @Override
    public int minLayerCells() {
        return MIN_LAYER_CELLS;
    }

    @Override
    public List<String> gradientRoles(LoadedModel loaded) {
        return decoder.scoreRoles(loaded.descriptor().outputs().keySet());
    }

    @Override
    public TargetSelector<Proposals> selector() {
        return selector;
    }
}
