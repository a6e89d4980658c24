package dev.lumen.catalogue;

/** How a method reads the model. */
public enum Family {
    /** Gradients of a target's score with respect to a layer's activations (the Grad-CAM family). */
    GRADIENT("gradient"),
    /** Forward passes on randomly masked copies of the image only (RISE, D-RISE): works on any model. */
    PERTURBATION("perturbation");

    private final String id;

    Family(String id) {
        this.id = id;
    }

    /** The family's name in the catalogue served over REST. */
    public String id() {
        return id;
    }
}
