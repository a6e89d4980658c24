package dev.lumen.explainer.model;

import java.util.Map;

/**
 * What one batched forward run returned.
 *
 * @param outputs raw output tensors by role ({@code scores}, {@code logits}, ...)
 * @param activations the target layer's activations, or null when no layer was requested
 */
public record ForwardResult(Map<String, FloatTensor> outputs, FloatTensor activations) {
}
