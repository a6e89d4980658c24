package dev.lumen.results.insights;

import com.fasterxml.jackson.annotation.JsonInclude;

import java.util.List;

/**
 * Two runs over the same images side by side ({@code GET /api/comparisons?a=&b=}). Changes are
 * {@code b - a}.
 *
 * @param a the first run
 * @param b the second run
 * @param referenceA what run a's in-box measures compare with
 * @param referenceB what run b's in-box measures compare with
 * @param sort what the lists are ordered by: {@code energy} or {@code score} (largest absolute change first),
 *             or {@code moved} (images whose maps moved most first: lowest Pearson correlation)
 * @param shared number of images both runs explained
 * @param agreement how the two runs' maps agree over every target both explained (summary)
 * @param classes per class the change in in-box energy and in score
 * @param images per image the two targets, with their overlays
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record ComparisonView(String a, String b, String referenceA, String referenceB, String sort, int shared,
                             RunAgreement agreement, List<ClassChange> classes, List<ImagePair> images) {

    /**
     * One class in both runs.
     *
     * @param label the class
     * @param explainedA targets of this class in run a
     * @param explainedB targets of this class in run b
     * @param inBoxEnergyA mean in-box energy in run a
     * @param inBoxEnergyB mean in-box energy in run b
     * @param energyChange {@code inBoxEnergyB - inBoxEnergyA}
     * @param scoreA mean score in run a
     * @param scoreB mean score in run b
     * @param scoreChange {@code scoreB - scoreA}
     * @param paired targets of this class paired by image (both runs explained the image's target of this class)
     * @param pairedEnergyChange mean of the paired in-box energy changes with its 95% bootstrap interval
     * @param pairedScoreChange mean of the paired score changes with its 95% bootstrap interval
     * @param meanPearson mean correlation of the paired maps ({@link MapAgreement}), when any is defined
     */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record ClassChange(String label, int explainedA, int explainedB, Double inBoxEnergyA, Double inBoxEnergyB,
                              Double energyChange, Double scoreA, Double scoreB, Double scoreChange, int paired,
                              Bootstrap.Interval pairedEnergyChange, Bootstrap.Interval pairedScoreChange,
                              Double meanPearson) {
    }

    /**
     * One image in both runs (its first explained target in each).
     *
     * @param imageId the image
     * @param a run a's target, null when run a did not explain it
     * @param b run b's target, null when run b did not explain it
     * @param energyChange change in in-box energy, when both have one
     * @param scoreChange change in score, when both explained the image
     * @param mapPearson Pearson correlation of the two first targets' maps ({@link MapAgreement#correlation}), when
     *                   both runs explained the same first target
     */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record ImagePair(String imageId, ImageInsight a, ImageInsight b, Double energyChange, Double scoreChange,
                            Double mapPearson) {

        /** How far the map moved from run a to run b, {@code 1 - mapPearson}, when known. */
        public Double moved() {
            return mapPearson == null ? null : 1 - mapPearson;
        }

        /** This pair with other targets (presigned links). */
        public ImagePair with(ImageInsight newA, ImageInsight newB) {
            return new ImagePair(imageId, newA, newB, energyChange, scoreChange, mapPearson);
        }
    }
}
