package dev.lumen.tfjs;

import dev.lumen.explainer.model.ModelDescriptor.ColorOrder;
import dev.lumen.explainer.model.ModelDescriptor.Layout;
import dev.lumen.explainer.model.ModelDescriptor.ResizeMode;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What the graph cannot tell the importer: the task, labels and preprocessing that go into the
 * drafted {@code lumen-model.json}, and whether to make the batch dimension dynamic. Every field is
 * optional; {@link #defaults()} drafts a descriptor from the graph alone (task guessed, labels
 * numbered, pixels scaled to [0, 1] in RGB) and the report says what was guessed.
 *
 * @param task {@code lumen-model.json} task id; null to guess from the outputs
 * @param labels label names; null for {@code class_0, class_1, ...}
 * @param layout NHWC or NCHW; null to read it from the input's shape
 * @param width input width for graphs whose input size is not fixed; null to read it from the graph
 * @param height input height, likewise
 * @param colorOrder channel order the model expects
 * @param scale factor applied to 0..255 pixel values
 * @param mean per-channel mean subtracted after scaling; null for zeros
 * @param std per-channel divisor; null for ones
 * @param resize how images are fitted to the input
 * @param decoder {@code lumen-model.json} decoder name; null for the task's default
 * @param outputs output role to signature output key; empty to derive
 * @param scoreThreshold explanation cut-off; null for the task's default
 * @param targetLayer layer to explain at; null to let Lumen discover it
 * @param dynamicBatch rewrite a batch dimension fixed at 1 so the model accepts any batch
 */
public record ImportOptions(
        String task,
        List<String> labels,
        Layout layout,
        Integer width,
        Integer height,
        ColorOrder colorOrder,
        double scale,
        double[] mean,
        double[] std,
        ResizeMode resize,
        String decoder,
        Map<String, String> outputs,
        Double scoreThreshold,
        String targetLayer,
        boolean dynamicBatch) {

    /** The scale a float input gets when --scale is not given: pixels / 255. */
    static final double DEFAULT_SCALE = 1.0 / 255;


    /** Copies the collections and arrays, so options never change after construction. */
    public ImportOptions {
        labels = labels == null ? null : List.copyOf(labels);
        mean = mean == null ? null : mean.clone();
        std = std == null ? null : std.clone();
        outputs = outputs == null ? Map.of() : Map.copyOf(new LinkedHashMap<>(outputs));
        colorOrder = colorOrder == null ? ColorOrder.RGB : colorOrder;
        resize = resize == null ? ResizeMode.STRETCH : resize;
    }

    /** Everything guessed or defaulted; the batch dimension left as exported. */
    public static ImportOptions defaults() {
        return new ImportOptions(null, null, null, null, null, ColorOrder.RGB, DEFAULT_SCALE, null, null,
                ResizeMode.STRETCH, null, Map.of(), null, null, false);
    }

    /** Per-channel mean (a copy), or null. */
    @Override
    public double[] mean() {
        return mean == null ? null : mean.clone();
    }

    /** Per-channel standard deviation (a copy), or null. */
    @Override
    public double[] std() {
        return std == null ? null : std.clone();
    }

    /** These options with {@code task}. */
    public ImportOptions withTask(String task) {
        return new ImportOptions(task, labels, layout, width, height, colorOrder, scale, mean, std, resize, decoder,
                outputs, scoreThreshold, targetLayer, dynamicBatch);
    }

    /** These options with {@code labels}. */
    public ImportOptions withLabels(List<String> labels) {
        return new ImportOptions(task, labels, layout, width, height, colorOrder, scale, mean, std, resize, decoder,
                outputs, scoreThreshold, targetLayer, dynamicBatch);
    }

    /** These options with this preprocessing: {@code (pixel * scale - mean[c]) / std[c]} in {@code colorOrder}. */
    public ImportOptions withPreprocessing(ColorOrder colorOrder, double scale, double[] mean, double[] std) {
        return new ImportOptions(task, labels, layout, width, height, colorOrder, scale, mean, std, resize, decoder,
                outputs, scoreThreshold, targetLayer, dynamicBatch);
    }

    /** These options with {@code decoder}. */
    public ImportOptions withDecoder(String decoder) {
        return new ImportOptions(task, labels, layout, width, height, colorOrder, scale, mean, std, resize, decoder,
                outputs, scoreThreshold, targetLayer, dynamicBatch);
    }

    /** These options with the batch dimension made dynamic (or not). */
    public ImportOptions withDynamicBatch(boolean dynamicBatch) {
        return new ImportOptions(task, labels, layout, width, height, colorOrder, scale, mean, std, resize, decoder,
                outputs, scoreThreshold, targetLayer, dynamicBatch);
    }
}
