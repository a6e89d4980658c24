package dev.lumen.explainer.model;

/**
 * An image resized (and letterboxed) to the model's input size but not yet normalised: RGB values
 * in 0..255, row-major, channels interleaved ({@code pixels[(y * width + x) * 3 + c]}). Methods and
 * metrics perturb this form, because "black" and "blurred" are pixel-space ideas; the
 * {@link Preprocessor} applies colour order, scale, mean, std and layout when building tensors.
 *
 * @param pixels interleaved RGB values, length {@code width * height * 3}
 * @param width model input width
 * @param height model input height
 * @param geometry where the original image lies in the input
 */
public record ModelInput(float[] pixels, int width, int height, InputGeometry geometry) {

    /** Checks the pixel count. */
    public ModelInput {
        if (pixels.length != width * height * 3) {
            throw new IllegalArgumentException("expected " + (width * height * 3) + " RGB values, got " + pixels.length);
        }
    }

    /** The same geometry with other pixels (a perturbed copy of this input). */
    public ModelInput withPixels(float[] newPixels) {
        return new ModelInput(newPixels, width, height, geometry);
    }
}
