package dev.lumen.tfjs;

import dev.lumen.explainer.model.ModelDescriptor;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * What an import did, for the person who runs it: where the SavedModel went, what was rewritten,
 * the drafted descriptor and what in it was guessed.
 *
 * @param outDir the SavedModel directory ({@code saved_model.pb}, {@code variables/}, {@code lumen-model.json})
 * @param source the TF.js model file read
 * @param nodes nodes in the written graph
 * @param constants Const nodes filled from the weight shards
 * @param dequantizedWeights weights stored as float16, uint8 or uint16 and widened to their dtype
 * @param widenedInt64Constants int32-stored constants widened back to int64
 * @param clearedDevicePlacements nodes whose device placement was cleared
 * @param unfusedOps fused or TF.js-only operations split, by type
 * @param dynamicBatch placeholders and shape operands rewritten for a dynamic batch; empty when not requested or refused
 * @param dynamicBatchCheck what the check of the rewrite ran and found; null when not requested
 * @param inputs signature input keys with their tensor names and shapes
 * @param outputs signature output keys with their tensor names and shapes
 * @param descriptor the drafted {@code lumen-model.json}
 * @param warnings what the draft guessed, and anything else to check
 * @param savedModelBytes size of {@code saved_model.pb}
 * @param elapsed wall time of the import
 */
public record ImportReport(
        Path outDir,
        Path source,
        int nodes,
        int constants,
        int dequantizedWeights,
        int widenedInt64Constants,
        int clearedDevicePlacements,
        Map<String, Integer> unfusedOps,
        List<String> dynamicBatch,
        String dynamicBatchCheck,
        Map<String, String> inputs,
        Map<String, String> outputs,
        ModelDescriptor descriptor,
        List<String> warnings,
        long savedModelBytes,
        Duration elapsed) {

    /** Copies the collections, so a report never changes. */
    public ImportReport {
        unfusedOps = Map.copyOf(unfusedOps);
        dynamicBatch = List.copyOf(dynamicBatch);
        inputs = Map.copyOf(inputs);
        outputs = Map.copyOf(outputs);
        warnings = List.copyOf(warnings);
    }

    /** A few lines for a terminal. */
    public String summary() {
        StringBuilder text = new StringBuilder();
        text.append("Imported ").append(source).append('\n');
        text.append("  into ").append(outDir).append(" (").append(savedModelBytes / 1024).append(" KiB saved_model.pb, ")
                .append(nodes).append(" nodes, ").append(elapsed.toMillis()).append(" ms)\n");
        text.append("  weights: ").append(constants).append(" constants, ").append(dequantizedWeights)
                .append(" dequantized, ").append(widenedInt64Constants).append(" widened to int64; ")
                .append(clearedDevicePlacements).append(" device placements cleared\n");
        text.append("  unfused: ").append(unfusedOps.isEmpty() ? "nothing" : new TreeMap<>(unfusedOps)).append('\n');
        if (!dynamicBatch.isEmpty()) {
            text.append("  dynamic batch: ").append(dynamicBatch.size()).append(" rewrites (").append(String.join(", ", dynamicBatch))
                    .append("); ").append(dynamicBatchCheck).append('\n');
        } else if (dynamicBatchCheck != null) {
            text.append("  dynamic batch: ").append(dynamicBatchCheck).append('\n');
        }
        new TreeMap<>(inputs).forEach((key, tensor) -> text.append("  input  ").append(key).append(": ").append(tensor).append('\n'));
        new TreeMap<>(outputs).forEach((key, tensor) -> text.append("  output ").append(key).append(": ").append(tensor).append('\n'));
        text.append("  ").append(ModelDescriptor.FILE_NAME).append(": task ").append(descriptor.task().id()).append(", ")
                .append(descriptor.labels().size()).append(" labels, input ").append(descriptor.input().width()).append('x')
                .append(descriptor.input().height()).append(' ').append(descriptor.input().layout()).append(", outputs ")
                .append(new TreeMap<>(descriptor.outputs())).append('\n');
        warnings.forEach(w -> text.append("  check: ").append(w).append('\n'));
        return text.toString();
    }
}
