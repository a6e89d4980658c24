package dev.lumen.explainer;

import java.util.Map;
import java.util.stream.Collectors;

/**
 * What to compute for an image.
 *
 * <p>Parameters understood in this version (others are ignored, so one parameter map can serve
 * several methods):
 * <ul>
 *   <li>{@code targetLayer} (string): the layer to explain at, {@code op} or {@code op:index};
 *       default: the descriptor's {@code targetLayer}, else discovered automatically</li>
 *   <li>{@code class} (label string or index number): explain this class, whatever its score;
 *       default: the top class (classification) or every label above the threshold (multilabel,
 *       attributes)</li>
 *   <li>{@code metrics} (boolean, default true): compute deletion and insertion AUC</li>
 *   <li>{@code metricSteps} (integer 2..256, default 16): steps of the deletion/insertion curves</li>
 * </ul>
 *
 * @param method {@code gradcam}, {@code gradcam++} or {@code hirescam}
 * @param seed seed for randomised methods (none in this version); null for a fixed default
 * @param parameters method parameters; null means none
 */
public record ExplainOptions(String method, Long seed, Map<String, Object> parameters) {

    /** Copies the parameters, dropping null keys and values (a JSON {@code null} means "default"). */
    public ExplainOptions {
        parameters = parameters == null ? Map.of() : parameters.entrySet().stream()
                .filter(e -> e.getKey() != null && e.getValue() != null)
                .collect(Collectors.toUnmodifiableMap(Map.Entry::getKey, Map.Entry::getValue));
    }

    /** Options for {@code method} with no seed and no parameters. */
    public static ExplainOptions of(String method) {
        return new ExplainOptions(method, null, Map.of());
    }
}
