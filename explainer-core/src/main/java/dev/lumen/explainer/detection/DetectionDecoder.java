package dev.lumen.explainer.detection;

import dev.lumen.explainer.model.FloatTensor;
import java.util.List;
import java.util.Map;

/**
 * Turns a detector's raw outputs into boxes with class vectors: one implementation per output
 * convention, chosen by the descriptor's {@code decoder} name (see {@link DetectionDecoders}).
 * Decoders return every proposal (no non-maximum suppression): D-RISE needs them all, and
 * {@link Boxes#nms} thins them for display.
 */
public interface DetectionDecoder {

    /** The name used in {@code lumen-model.json}'s {@code decoder} field. */
    String name();

    /** Output roles this decoder reads; the first ones are required, see each implementation. */
    List<String> roles();

    /**
     * The output roles, among the {@code declared} ones, that proposal scores are computed from:
     * gradient methods explain at the last spatial layer all of them depend on, and each
     * {@link Detection#seed} names one of them.
     */
    List<String> scoreRoles(java.util.Set<String> declared);

    /**
     * Proposals per image of the batch, boxes in model-input pixels. A decoder whose boxes or class
     * vectors cost work decodes them on demand (see {@link Proposals}); one that has them at hand
     * returns {@link Proposals#of} its list.
     *
     * @param outputs raw outputs by role, as {@link dev.lumen.explainer.model.LoadedModel#forward} returns them
     * @param labels number of labels of the model
     * @param inputWidth model input width in pixels
     * @param inputHeight model input height in pixels
     * @param minScore proposals scoring below this are dropped (a speed floor, not the display threshold)
     */
    List<Proposals> decode(Map<String, FloatTensor> outputs, int labels, int inputWidth, int inputHeight,
            double minScore);
}
