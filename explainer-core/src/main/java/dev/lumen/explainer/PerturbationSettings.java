package dev.lumen.explainer;

import dev.lumen.explainer.method.RandomMasks;
import java.util.Locale;
import java.util.Map;

/**
 * The typed view of the sampling parameters of {@code rise} and {@code drise}; every wrong value is
 * reported with its parameter name.
 *
 * @param masks most masks to draw ({@code masks}, 1..100000; default 5000 for D-RISE, 2000 for RISE)
 * @param grid mask grid cells per side ({@code grid}, 2..64; default 16 for D-RISE, 7 for RISE)
 * @param p probability that a cell stays visible ({@code p}, in (0, 1); default 0.5)
 * @param batch preferred masked images per model run ({@code batch}, 1..1024; default 32)
 * @param earlyStop stop once the maps have converged ({@code earlyStop}; default true)
 * @param stopCorrelation predicted correlation with the map of all {@code masks} masks at which
 *     sampling stops ({@code stopCorrelation}, in (0, 1]; default 0.96)
 * @param design how masks depend on one another ({@code sampling}: {@code orthogonal} or
 *     {@code independent}; default orthogonal where it applies, see {@link RandomMasks.Design#best})
 */
record PerturbationSettings(int masks, int grid, double p, int batch, boolean earlyStop, double stopCorrelation,
        RandomMasks.Design design) {

    static PerturbationSettings from(Map<String, Object> parameters, boolean detection) {
        int masks = integer(parameters.get("masks"), "masks", detection ? 5000 : 2000, 1, 100_000);
        int grid = integer(parameters.get("grid"), "grid", detection ? 16 : 7, 2, 64);
        double p = real(parameters.get("p"), "p", 0.5, false);
        return new PerturbationSettings(masks, grid, p,
                integer(parameters.get("batch"), "batch", 32, 1, 1024),
                bool(parameters.get("earlyStop"), "earlyStop", true),
                real(parameters.get("stopCorrelation"), "stopCorrelation", 0.96, true),
                design(parameters.get("sampling"), RandomMasks.Design.best(grid, p, masks), p));
    }

    private static RandomMasks.Design design(Object value, RandomMasks.Design fallback, double p) {
        if (value == null) {
            return fallback;
        }
        String text = value.toString().trim().toLowerCase(Locale.ROOT);
        if (text.equals("independent")) {
            return RandomMasks.Design.INDEPENDENT;
        }
        if (!text.equals("orthogonal")) {
            throw new IllegalArgumentException("parameter sampling must be orthogonal or independent, got " + value);
        }
        if (p != 0.5) {
            throw new IllegalArgumentException("parameter sampling=orthogonal needs p = 0.5, got p = " + p);
        }
        return RandomMasks.Design.ORTHOGONAL;
    }

    private static int integer(Object value, String name, int fallback, int min, int max) {
        if (value == null) {
            return fallback;
        }
        int result;
        try {
            result = value instanceof Number n ? n.intValue() : Integer.parseInt(value.toString().trim());
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("parameter " + name + " must be an integer, got " + value);
        }
        if (result < min || result > max) {
            throw new IllegalArgumentException("parameter " + name + " must be in " + min + ".." + max + ", got " + result);
        }
        return result;
    }

    private static double real(Object value, String name, double fallback, boolean oneAllowed) {
        if (value == null) {
            return fallback;
        }
        double result;
        try {
            result = value instanceof Number n ? n.doubleValue() : Double.parseDouble(value.toString().trim());
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("parameter " + name + " must be a number, got " + value);
        }
        if (!(result > 0 && (result < 1 || oneAllowed && result == 1))) {
            throw new IllegalArgumentException("parameter " + name + " must be in (0, 1" + (oneAllowed ? "]" : ")")
                    + ", got " + result);
        }
        return result;
    }

    private static boolean bool(Object value, String name, boolean fallback) {
        if (value == null) {
            return fallback;
        }
        if (value instanceof Boolean b) {
            return b;
        }
        String text = value.toString().trim().toLowerCase(Locale.ROOT);
        if (text.equals("true") || text.equals("false")) {
            return Boolean.parseBoolean(text);
        }
        throw new IllegalArgumentException("parameter " + name + " must be true or false, got " + value);
    }
}
