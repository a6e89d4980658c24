package dev.lumen.explainer;

import dev.lumen.explainer.metric.DeletionInsertion;
import java.util.Locale;
import java.util.Map;

/**
 * The typed view of {@link ExplainOptions#parameters()}; every wrong value is reported with its
 * parameter name.
 *
 * @param targetLayer layer override, or null
 * @param classChoice requested class (label or index), or null
 * @param metrics whether to compute deletion and insertion AUC
 * @param metricSteps curve steps
 */
record ExplainSettings(String targetLayer, Object classChoice, boolean metrics, int metricSteps) {

    static ExplainSettings from(Map<String, Object> parameters) {
        Object layer = parameters.get("targetLayer");
        if (layer != null && !(layer instanceof String)) {
            throw new IllegalArgumentException("parameter targetLayer must be a string, got " + layer);
        }
        Object choice = parameters.get("class");
        if (choice != null && !(choice instanceof String || choice instanceof Number)) {
            throw new IllegalArgumentException("parameter class must be a label or an index, got " + choice);
        }
        return new ExplainSettings((String) layer, choice, bool(parameters.get("metrics"), "metrics", true),
                steps(parameters.get("metricSteps")));
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

    private static int steps(Object value) {
        if (value == null) {
            return DeletionInsertion.DEFAULT_STEPS;
        }
        int steps;
        try {
            steps = value instanceof Number n ? n.intValue() : Integer.parseInt(value.toString().trim());
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("parameter metricSteps must be an integer, got " + value);
        }
        if (steps < 2 || steps > 256) {
            throw new IllegalArgumentException("parameter metricSteps must be in 2..256, got " + steps);
        }
        return steps;
    }
}
