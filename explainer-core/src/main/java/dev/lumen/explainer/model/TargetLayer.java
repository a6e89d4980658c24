package dev.lumen.explainer.model;

/**
 * The activation a gradient method explains at: a 4-D tensor of the graph.
 *
 * @param tensor the activation tensor
 * @param discovered true when found automatically, false when named by the user or descriptor
 * @param geometry where the layer's cells sit in the model input
 */
public record TargetLayer(TensorRef tensor, boolean discovered, LayerGeometry geometry) {

    /** The name to report: the operation name, with {@code :index} only when not output 0. */
    public String name() {
        return tensor.index() == 0 ? tensor.operation() : tensor.toString();
    }
}
