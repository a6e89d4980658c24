package dev.lumen.catalogue;

/** The type of a method parameter's value, as a JSON request carries it. */
public enum ParameterType {
    /** A whole number (JSON number without a fraction, or its digits as a string). */
    INTEGER("integer"),
    /** Any number. */
    NUMBER("number"),
    /** {@code true} or {@code false}. */
    BOOLEAN("boolean"),
    /** Free text. */
    STRING("string"),
    /** One of a fixed list of words. */
    CHOICE("choice"),
    /** A label of the model: its name, or its index as a number or digits. */
    LABEL("label");

    private final String id;

    ParameterType(String id) {
        this.id = id;
    }

    /** The type's name in the catalogue served over REST. */
    public String id() {
        return id;
    }
}
