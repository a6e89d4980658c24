package dev.lumen.results.storage;

import com.fasterxml.jackson.annotation.JsonInclude;
import dev.lumen.contracts.Metrics;
import dev.lumen.contracts.ModelRef;
import dev.lumen.contracts.Outcome;
import dev.lumen.contracts.Target;
import dev.lumen.contracts.Timing;

import java.util.List;

/**
 * The JSON record stored per image ({@code result.json}): the result event without the map data,
 * plus the names of the rendered files. Per explained target it holds the target (kind, label,
 * score, box for detections), the faithfulness metrics and the file names; per image the outcome
 * with its reason, the method, the model, every prediction and the worker's timing.
 *
 * <p>The result event carries neither segment masks nor the points of the deletion/insertion
 * curves (only their areas), so neither is stored.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record StoredResult(
        String runId,
        String tenant,
        String imageId,
        String imageKey,
        int imageTotal,
        Outcome outcome,
        String reason,
        Integer width,
        Integer height,
        String method,
        ModelRef model,
        String targetLayer,
        List<Target> predictions,
        List<StoredExplanation> explanations,
        Timing timing,
        String worker) {

    /**
     * One explained target and its files.
     *
     * @param target what is explained
     * @param metrics faithfulness
     * @param saliency 16-bit map file name
     * @param heatmap colour heatmap file name
     * @param overlay overlay file name
     */
    public record StoredExplanation(Target target, Metrics metrics, String saliency, String heatmap, String overlay) {
    }
}
