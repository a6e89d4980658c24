package dev.lumen.render;

/**
 * Perceptual colormap for saliency: Google's Turbo (Mikhailov, 2019), evaluated from its published
 * degree-5 polynomial approximation per channel. Turbo runs dark blue, cyan, green, yellow, red to
 * dark red; unlike "jet" it has no false bands, and unlike a grey ramp the hot spots stand out on
 * top of a photo.
 *
 * <p>The polynomial is tabulated once into {@value #LEVELS} levels; rendering a large overlay then
 * costs one array read per pixel.
 */
public final class Colormaps {

    /** Coefficients of r, g, b in powers of v: c0 + c1 v + ... + c5 v^5 (published approximation). */
    private static final double[][] TURBO = {
            {0.13572138, 4.61539260, -42.66032258, 132.13108234, -152.94239396, 59.28637943},
            {0.09140261, 2.19418839, 4.84296658, -14.18503333, 4.27729857, 2.82956604},
            {0.10667330, 12.64194608, -60.58204836, 110.36276771, -89.90310912, 27.34824973},
    };

    private static final int LEVELS = 1024;
    private static final int[] TABLE = tabulate();

    private Colormaps() {
    }

    /**
     * Opaque ARGB colour for {@code v} in [0, 1]; values outside are clamped and NaN maps to 0.
     */
    public static int argb(double v) {
        double clamped = v > 0 ? Math.min(v, 1) : 0;
        return TABLE[(int) Math.round(clamped * (LEVELS - 1))];
    }

    private static int[] tabulate() {
        int[] table = new int[LEVELS];
        for (int i = 0; i < LEVELS; i++) {
            double v = i / (double) (LEVELS - 1);
            table[i] = 0xFF000000 | channel(TURBO[0], v) << 16 | channel(TURBO[1], v) << 8 | channel(TURBO[2], v);
        }
        return table;
    }

    /** Horner evaluation of one channel's polynomial, clamped to a byte. */
    private static int channel(double[] coefficients, double v) {
        double value = 0;
        for (int k = coefficients.length - 1; k >= 0; k--) {
            value = value * v + coefficients[k];
        }
        return (int) Math.round(Math.min(1, Math.max(0, value)) * 255);
    }
}
