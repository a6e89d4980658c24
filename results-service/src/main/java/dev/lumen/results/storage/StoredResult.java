package dev.lumen.results.storage;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonUnwrapped;
import dev.lumen.contracts.ImageResult;
import dev.lumen.contracts.MapGrid;
import dev.lumen.contracts.Metrics;
import dev.lumen.contracts.Target;

import java.time.Instant;
import java.util.Comparator;
import java.util.List;

/**
 * The JSON record stored per image ({@code result.json}): the result event's fields, with its maps
 * replaced by the names of the rendered files. Per explained target it holds the target (kind, label,
 * score, box for detections), the faithfulness metrics and the file names; per image the outcome
 * with its reason, the method, the model, every prediction and the worker's timing. The event's
 * fields are written at the top level of the JSON as the event has them, so the two cannot drift
 * apart.
 *
 * <p>The result event carries neither segment masks nor the points of the deletion/insertion
 * curves (only their areas), so neither is stored.
 *
 * @param result the image result as the event carried it, without its maps ({@code explanations} null)
 * @param explanations one entry per explained target, with its files; null when nothing was explained
 * @param producedAt when the worker published the result (its event's time), so that a run rebuilt from
 *     storage after a restart keeps its real timeline; null in records written before it was stored
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record StoredResult(
        @JsonUnwrapped @JsonIgnoreProperties("explanations") ImageResult result,
        List<StoredExplanation> explanations,
        Instant producedAt) {

    /** Orders records by image id, the order listings and exports use. */
    public static final Comparator<StoredResult> BY_IMAGE_ID = Comparator.comparing(r -> r.result().imageId());

    /** The record of {@code result} whose maps were stored as {@code explanations} (null when none). */
    public static StoredResult of(ImageResult result, List<StoredExplanation> explanations) {
        return of(result, explanations, null);
    }

    /** The record of {@code result}, published at {@code producedAt}, whose maps were stored as {@code explanations}. */
    public static StoredResult of(ImageResult result, List<StoredExplanation> explanations, Instant producedAt) {
        return new StoredResult(result.toBuilder().explanations(null).build(), explanations, producedAt);
    }

    /**
     * One explained target and its files.
     *
     * @param target what is explained
     * @param metrics faithfulness
     * @param saliency 16-bit map file name
     * @param heatmap colour heatmap file name
     * @param overlay overlay file name
     * @param grid the map's native grid in original-image pixels, when the worker sent one (the insights
     *     measure at that resolution)
     */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record StoredExplanation(Target target, Metrics metrics, String saliency, String heatmap, String overlay,
            MapGrid grid) {

        /** An explanation whose map has no known native grid. */
        public StoredExplanation(Target target, Metrics metrics, String saliency, String heatmap, String overlay) {
            this(target, metrics, saliency, heatmap, overlay, null);
        }
    }
}
