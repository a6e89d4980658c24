package dev.lumen.explainer.method;

/**
 * A member of the Grad-CAM family: it only says how a class activation map comes from one
 * image's activations at the target layer and the gradients of one target score with respect to
 * them. Which score (the target), which layer and which model are decided elsewhere, so every
 * method works with every target and model. Its id, doc and parameters are its
 * {@link dev.lumen.catalogue.MethodCatalogue} entry, which names the implementing class.
 */
public interface CamMethod {

    /**
     * The map at the layer's resolution, row-major ({@code height * width} values), non-negative.
     */
    float[] cam(LayerMaps activations, LayerMaps gradients);
}
