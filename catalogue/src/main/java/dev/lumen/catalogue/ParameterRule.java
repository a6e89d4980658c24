package dev.lumen.catalogue;

/** A check across several parameters of one method, run once each value is valid on its own. */
@FunctionalInterface
public interface ParameterRule {

    /**
     * @throws InvalidParameterException naming the parameter at fault
     */
    void check(Parameters values);
}
