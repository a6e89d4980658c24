package dev.lumen.explainer.cli;

import com.fasterxml.jackson.annotation.JsonInclude;

import java.util.List;

/**
 * The {@code explanations.json} the CLI writes per image. Field names are the file format.
 *
 * @param image the image path as given
 * @param width original width in pixels
 * @param height original height in pixels
 * @param method the method used
 * @param model the model directory as given
 * @param targetLayer the layer explained at
 * @param predictions what the model predicted
 * @param explanations one entry per explained target
 * @param skipped why nothing was explained, or null
 * @param timing cost of the explanation
 */
record ExplanationReport(
        String image,
        int width,
        int height,
        String method,
        String model,
        String targetLayer,
        List<Target> predictions,
        List<Entry> explanations,
        String skipped,
        Timing timing) {

    /** A prediction as written to JSON; {@code group} only for models with attribute groups. */
    record Target(String kind, String label, int index, double score, double[] box,
            @JsonInclude(JsonInclude.Include.NON_NULL) String group) {
    }

    /**
     * One explained target and its files.
     *
     * @param target the prediction explained
     * @param saliency 16-bit grayscale PNG at the original image size
     * @param overlay the heatmap blended over the image
     * @param region 16-bit grayscale PNG at the original image size of the pixels the model predicted
     *     for the target (65535 inside, threshold at half), or null when the target has none
     * @param metrics deletion and insertion AUC, or null when not computed
     */
    record Entry(Target target, String saliency, String overlay,
            @JsonInclude(JsonInclude.Include.NON_NULL) String region, Metrics metrics) {
    }

    /** Faithfulness scores. */
    record Metrics(Double deletionAuc, Double insertionAuc) {
    }

    /** Wall time and forward passes. */
    record Timing(long explainMs, long forwardPasses) {
    }
}
