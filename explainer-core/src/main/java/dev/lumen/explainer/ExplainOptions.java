package dev.lumen.explainer;

import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * What to compute for an image.
 *
 * <p>The method and its parameters are those of the {@link dev.lumen.catalogue.MethodCatalogue}
 * (the README's table lists them): the explainer checks {@code parameters} against the method's
 * entry for the model's task, and an unknown parameter, one the method does not take, a wrong type
 * or a value out of range is refused naming the parameter.
 *
 * @param method a method id of the catalogue
 * @param seed seed for randomised methods; null for a fixed default
 * @param parameters method parameters; null means none
 * @param objects objects in the image (e.g. the dataset's ground truth): attribute models explain each on its own
 *     crop (null or empty: the whole image is the one object); other tasks take those with a target's label as
 *     the context test's reference boxes
 * @param previews told of the maps while RISE or D-RISE samples them, or null; not called for
 *     attribute models' objects (their maps are of crops) nor for gradient methods (one pass, no
 *     intermediate map)
 */
public record ExplainOptions(String method, Long seed, Map<String, Object> parameters, List<ImageObject> objects,
        PreviewListener previews) {

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

    /** Options without a preview listener. */
    public ExplainOptions(String method, Long seed, Map<String, Object> parameters, List<ImageObject> objects) {
        this(method, seed, parameters, objects, null);
    }

    /** Options without objects. */
    public ExplainOptions(String method, Long seed, Map<String, Object> parameters) {
        this(method, seed, parameters, null);
    }

    /** Options for {@code method} with no seed and no parameters. */
    public static ExplainOptions of(String method) {
        return new ExplainOptions(method, null, Map.of());
    }

    /** The same options without objects nor previews (what one object's crop is explained with). */
    public ExplainOptions withoutObjects() {
        return new ExplainOptions(method, seed, parameters);
    }

    /** The same options telling {@code listener} of the maps while they are sampled. */
    public ExplainOptions withPreviews(PreviewListener listener) {
        return new ExplainOptions(method, seed, parameters, objects, listener);
    }
}
