package dev.lumen.contracts;

/** What happened to one image. */
public enum Outcome {
    /** At least one saliency map was computed. */
    EXPLAINED,
    /** Nothing to explain, e.g. no prediction above the score threshold; see the reason. */
    SKIPPED,
    /** The image could not be explained (corrupt image, model failure); see the reason. */
    FAILED
}
