package dev.lumen.explainer;

import java.util.List;
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
 *   <li>{@code cropMargin} (number 0..2, default 0.25): attribute models only, the share of an
 *       object's width (height) added as context on its left and right (top and bottom) before
 *       the crop is resized to the model input</li>
 * </ul>
 *
 * @param method {@code gradcam}, {@code gradcam++}, {@code hirescam}, {@code rise} or {@code drise}
 * @param seed seed for randomised methods; null for a fixed default
 * @param parameters method parameters; null means none
 * @param objects objects in the image, for attribute models (each is explained on its own crop);
 *     null or empty means the whole image is the one object. Other tasks ignore them.
 */
public record ExplainOptions(String method, Long seed, Map<String, Object> parameters, List<ImageObject> objects) {

    /**
     * Copies the parameters, dropping null keys and values (a JSON {@code null} means "default"),
     * and the objects.
     */
    public ExplainOptions {
        parameters = parameters == null ? Map.of() : parameters.entrySet().stream()
                .filter(e -> e.getKey() != null && e.getValue() != null)
                .collect(Collectors.toUnmodifiableMap(Map.Entry::getKey, Map.Entry::getValue));
        objects = objects == null ? List.of() : List.copyOf(objects);
    }

    /** Options without objects. */
    public ExplainOptions(String method, Long seed, Map<String, Object> parameters) {
        this(method, seed, parameters, null);
    }

    /** Options for {@code method} with no seed and no parameters. */
    public static ExplainOptions of(String method) {
        return new ExplainOptions(method, null, Map.of());
    }

    /** The same options without objects (what one object's crop is explained with). */
    public ExplainOptions withoutObjects() {
        return new ExplainOptions(method, seed, parameters);
    }
}
