package dev.lumen.results.storage;

/**
 * Where a run's results live in object storage:
 * <pre>
 * runs/{runId}/run.json                          the run request as received
 * runs/{runId}/images/{imageId}/result.json      outcome, predictions, targets, metrics, file names
 * runs/{runId}/images/{imageId}/saliency-K.png   16-bit grayscale map of target K at the image's size
 * runs/{runId}/images/{imageId}/heatmap-K.png    colour heatmap of target K with a legend
 * runs/{runId}/images/{imageId}/overlay-K.png    heatmap of target K blended on the image
 * </pre>
 * Names depend only on the run, the image and the target's position, so rewriting a redelivered
 * result replaces the same objects.
 */
public final class ResultLayout {

    /** File name of an image's JSON record. */
    public static final String RESULT_FILE = "result.json";

    private ResultLayout() {
    }

    public static String runPrefix(String runId) {
        return "runs/" + runId + "/";
    }

    public static String runRecord(String runId) {
        return runPrefix(runId) + "run.json";
    }

    public static String imagesPrefix(String runId) {
        return runPrefix(runId) + "images/";
    }

    public static String imagePrefix(String runId, String imageId) {
        return imagesPrefix(runId) + imageId + "/";
    }

    public static String resultRecord(String runId, String imageId) {
        return imagePrefix(runId, imageId) + RESULT_FILE;
    }

    public static String saliencyFile(int target) {
        return "saliency-" + target + ".png";
    }

    public static String heatmapFile(int target) {
        return "heatmap-" + target + ".png";
    }

    public static String overlayFile(int target) {
        return "overlay-" + target + ".png";
    }
}
