package dev.lumen.explainer.model;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * What one batched forward run returned.
 *
 * @param outputs raw output tensors by role ({@code scores}, {@code logits}, ...)
 * @param activations the target layer's activations, or null when no layer was requested
 */
public record ForwardResult(Map<String, FloatTensor> outputs, FloatTensor activations) {

    /** Image {@code i} of this batch as a forward result of one image. */
    public ForwardResult sample(int i) {
        Map<String, FloatTensor> one = new LinkedHashMap<>();
        outputs.forEach((role, tensor) -> one.put(role, tensor.slice(i)));
        return new ForwardResult(one, activations == null ? null : activations.slice(i));
    }
}
