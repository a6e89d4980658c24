package dev.lumen.catalogue;

/** A method parameter that cannot be used: unknown to the method, of the wrong type or out of range. */
public final class InvalidParameterException extends IllegalArgumentException {

    private final String parameter;

    /**
     * @param parameter the parameter's name, as the request spells it
     * @param message what is wrong, naming the parameter and what it allows
     */
    public InvalidParameterException(String parameter, String message) {
        super(message);
        this.parameter = parameter;
    }

    /** The parameter's name, as the request spells it. */
    public String parameter() {
        return parameter;
    }
}
