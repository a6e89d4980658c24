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
 * @param boxShare share of the map's cells inside the reference box(es): the in-box energy of a map spread
 *                 evenly (chance level), when there is a reference
 * @param lift {@code inBoxEnergy / boxShare}: 1 for an evenly spread map, {@code 1 / boxShare} for a map
 *             entirely inside the box
 * @param contextReliance {@code (1 - inBoxEnergy) / (1 - boxShare)} clamped to [0, 1]: the energy outside
 *                        the box against what an evenly spread map puts there; 0 for a map entirely inside
 *                        the box, 1 for an evenly spread one (or one looking away); absent when the box
 *                        covers the whole map
 * @param pointingHit whether the map's maximum lies inside the reference box(es), when there is a reference
 * @param deletionAuc deletion AUC, when measured
 * @param insertionAuc insertion AUC, when measured
 * @param contextReference the context test's boxes: {@code ground-truth} or {@code prediction}, when it ran
 * @param objectDrop {@code score - objectRemovedScore} of the context test, when it ran
 * @param contextDrop {@code score - contextRemovedScore} of the context test, when it ran
 * @param overlay link to the overlay PNG
 * @param details link to the image's page in the web UI
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record ImageInsight(String imageId, int target, String label, double score, String reference, Double inBoxEnergy,
                           Double boxShare, Double lift, Double contextReliance, Boolean pointingHit, Double deletionAuc,
                           Double insertionAuc, String contextReference, Double objectDrop, Double contextDrop,
                           String overlay, String details) {

    /** This insight with its overlay link replaced (presigned). */
    public ImageInsight withOverlay(String link) {
        return new ImageInsight(imageId, target, label, score, reference, inBoxEnergy, boxShare, lift, contextReliance,
                pointingHit, deletionAuc, insertionAuc, contextReference, objectDrop, contextDrop, link, details);
    }
}
