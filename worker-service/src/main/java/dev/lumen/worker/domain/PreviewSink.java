package dev.lumen.worker.domain;

import dev.lumen.contracts.ImagePreview;

/** Where the previews of images being explained go; best effort, never throws. */
public interface PreviewSink {

    /** Sends {@code preview} if it can; a failure is logged, not thrown: a preview never fails an image. */
    void send(ImagePreview preview);
}
