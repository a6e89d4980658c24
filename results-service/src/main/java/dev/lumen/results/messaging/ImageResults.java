package dev.lumen.results.messaging;

import dev.lumen.contracts.ImageResult;
import dev.lumen.contracts.Outcome;

/** Derived forms of image results. */
final class ImageResults {

    private ImageResults() {
    }

    /** {@code result} turned into a failure with {@code reason}, its maps dropped. */
    static ImageResult failed(ImageResult result, String reason) {
        return new ImageResult(result.runId(), result.tenant(), result.imageId(), result.imageKey(), result.imageTotal(),
                Outcome.FAILED, reason, result.width(), result.height(), result.method(), result.model(),
                result.targetLayer(), result.predictions(), null, result.timing(), result.worker());
    }
}
