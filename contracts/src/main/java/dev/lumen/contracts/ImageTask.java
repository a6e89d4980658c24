package dev.lumen.contracts;

import com.fasterxml.jackson.annotation.JsonInclude;

import java.util.List;
import java.util.Map;

/**
 * Data of {@code dev.lumen.image.task.v1} on {@link Topics#IMAGE_TASKS}: explain one image of one run.
 * Key: {@link Topics#imageTaskKey(String, String)}.
 *
 * @param runId run the image belongs to
 * @param tenant tenant that owns the run
 * @param imageId stable id of the image within its dataset
 * @param imageKey object-storage key of the image bytes
 * @param imageIndex position of the image in the run's sample, from 0
 * @param imageTotal number of images the run sampled
 * @param method explanation method
 * @param model model to explain
 * @param seed per-image seed (masks, randomness), derived from the run seed and image id
 * @param parameters method parameters, as in the run request
 * @param objects objects in the image (boxes in original-image pixels, e.g. the dataset's ground truth):
 *                attribute models explain each on its crop (none: the whole image is the one object), other
 *                tasks take those of a target's label as its context test's reference boxes; null when none
 *                are known
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record ImageTask(
        String runId,
        String tenant,
        String imageId,
        String imageKey,
        int imageIndex,
        int imageTotal,
        String method,
        ModelRef model,
        long seed,
        Map<String, Object> parameters,
        List<ObjectBox> objects) {

    /** A task without objects. */
    public ImageTask(String runId, String tenant, String imageId, String imageKey, int imageIndex, int imageTotal,
                     String method, ModelRef model, long seed, Map<String, Object> parameters) {
        this(runId, tenant, imageId, imageKey, imageIndex, imageTotal, method, model, seed, parameters, null);
    }
}
