package dev.lumen.results.messaging;

import dev.lumen.contracts.ImageResult;
import dev.lumen.contracts.Outcome;

/** Derived forms of image results. */
final class ImageResults {

    private ImageResults() {
    }

    /** {@code result} turned into a failure with {@code reason}, its maps dropped. */
    static ImageResult failed(ImageResult result, String reason) {
        return result.toBuilder().outcome(Outcome.FAILED).reason(reason).explanations(null).build();
    }
}
