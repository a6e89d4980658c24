package dev.lumen.results.rest;

import com.fasterxml.jackson.annotation.JsonInclude;
import dev.lumen.contracts.Metrics;
import dev.lumen.contracts.Outcome;
import dev.lumen.contracts.Target;

import java.util.List;

/**
 * One image of a run with links to its files.
 *
 * @param imageId the image
 * @param outcome explained, skipped or failed
 * @param reason why skipped or failed
 * @param width image width
 * @param height image height
 * @param original link to the original image
 * @param explanations one entry per explained target
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record ImageView(String imageId, Outcome outcome, String reason, Integer width, Integer height, String original,
                        List<TargetView> explanations) {

    /**
     * One explained target.
     *
     * @param target what is explained
     * @param metrics faithfulness
     * @param saliency link to the 16-bit map
     * @param heatmap link to the heatmap
     * @param overlay link to the overlay
     */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record TargetView(Target target, Metrics metrics, String saliency, String heatmap, String overlay) {
    }
}
