package dev.lumen.results.insights;

import com.fasterxml.jackson.annotation.JsonInclude;

/**
 * What insights know about one explained target of one image.
 *
 * @param imageId the image
 * @param target the target's position in the image's explanations (the {@code K} of its files)
 * @param label the target's class or tag
 * @param score the model's score for it
 * @param reference what the in-box measures compare with: {@code ground-truth}, {@code prediction} or {@code none}
 * @param inBoxEnergy share of the map's energy inside the reference box(es), when there is a reference
 * @param pointingHit whether the map's maximum lies inside the reference box(es), when there is a reference
 * @param deletionAuc deletion AUC, when measured
 * @param insertionAuc insertion AUC, when measured
 * @param overlay link to the overlay PNG
 * @param details link to the image's page in the web UI
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record ImageInsight(String imageId, int target, String label, double score, String reference, Double inBoxEnergy,
                           Boolean pointingHit, Double deletionAuc, Double insertionAuc, String overlay, String details) {
}
