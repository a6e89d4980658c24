package dev.lumen.results.rest;

import dev.lumen.contracts.ImagePreview;

import java.time.Instant;
import java.util.List;

/**
 * One target's map of an image still being explained, as {@code GET /api/runs/{id}/previews} shows
 * it. Never a result: it disappears when the image's result is counted.
 *
 * @param imageId the image
 * @param target the target's position among the explanations the result will report
 * @param label the target's label
 * @param score the model's score for it
 * @param box its box {@code x1, y1, x2, y2} in original-image pixels; null when it has none
 * @param masks masks drawn so far
 * @param budget masks the run may draw at most
 * @param predictedCorrelation predicted correlation with the map of the whole budget
 * @param width map cells across
 * @param height map cells down
 * @param cells the map, 0..255 row-major, aligned to the whole original image
 * @param createdAt when the worker made it
 */
public record PreviewView(String imageId, int target, String label, double score, List<Double> box, int masks,
        int budget, double predictedCorrelation, int width, int height, int[] cells, Instant createdAt) {

    static PreviewView of(ImagePreview p) {
        return new PreviewView(p.imageId(), p.target(), p.label(), p.score(), p.box(), p.masks(), p.budget(),
                p.predictedCorrelation(), p.map().width(), p.map().height(), p.map().cells(), p.createdAt());
    }
}
