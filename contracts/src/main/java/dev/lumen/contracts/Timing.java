package dev.lumen.contracts;

/**
 * Cost of explaining one image.
 *
 * @param explainMs wall time of the explanation, model calls included
 * @param forwardPasses number of images the model processed (masked copies included)
 */
public record Timing(long explainMs, long forwardPasses) {
}
