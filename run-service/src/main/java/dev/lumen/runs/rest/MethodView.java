package dev.lumen.runs.rest;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import dev.lumen.catalogue.Method;
import dev.lumen.catalogue.Parameter;
import dev.lumen.catalogue.ParameterType;
import dev.lumen.catalogue.Range;
import dev.lumen.catalogue.Task;

import java.util.Arrays;
import java.util.List;
import java.util.Set;

/**
 * An explanation method as {@code GET /api/methods} shows it: what a client needs to offer the method
 * and check a run's parameters before posting it. Built from the catalogue's records, of which it
 * leaves out what only the explainer uses (the implementing class, cross-parameter rules as code).
 *
 * @param id the method's name in run requests
 * @param title its name in the literature
 * @param family {@code gradient} or {@code perturbation}
 * @param tasks the model tasks it explains
 * @param doc what it computes and its source
 * @param parameters the parameters it takes
 */
public record MethodView(String id, String title, String family, List<String> tasks, String doc,
                         List<ParameterView> parameters) {

    /**
     * One parameter of a method.
     *
     * @param name the key in a run's {@code parameters}
     * @param type {@code integer}, {@code number}, {@code boolean}, {@code string}, {@code choice} or
     *     {@code label}
     * @param defaultValue the value used when a run gives none; absent when it is decided at run time
     * @param defaultDoc how the default is decided at run time, when there is no fixed one
     * @param range the allowed numbers, for integer and number parameters
     * @param choices the allowed words, for choice parameters
     * @param allowed what the parameter allows, in words (the text of a refusal)
     * @param tasks the tasks of the method the parameter applies to
     * @param doc what the parameter does
     */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record ParameterView(String name, String type, @JsonProperty("default") Object defaultValue,
                                String defaultDoc, RangeView range, List<String> choices, String allowed,
                                List<String> tasks, String doc) {
    }

    /**
     * The numbers a parameter allows.
     *
     * @param min lowest bound
     * @param minIncluded whether {@code min} itself is allowed
     * @param max highest bound
     * @param maxIncluded whether {@code max} itself is allowed
     * @param text the range as refusals write it ({@code 2..256}, {@code (0, 1]})
     */
    public record RangeView(Number min, boolean minIncluded, Number max, boolean maxIncluded, String text) {
    }

    /** The view of {@code method} with the given parameters (all of them, or those for one task). */
    public static MethodView of(Method method, List<Parameter> parameters) {
        return new MethodView(method.id(), method.title(), method.family().id(), ids(method.tasks()), method.doc(),
                parameters.stream().map(p -> parameter(method, p)).toList());
    }

    private static ParameterView parameter(Method method, Parameter parameter) {
        List<String> tasks = Arrays.stream(Task.values()).filter(method::explains).filter(parameter::appliesTo)
                .map(Task::id).toList();
        return new ParameterView(parameter.name(), parameter.type().id(), parameter.defaultValue(),
                parameter.defaultDoc(), range(parameter), parameter.type() == ParameterType.CHOICE ? parameter.choices()
                : null, parameter.allowed(), tasks, parameter.doc());
    }

    private static RangeView range(Parameter parameter) {
        Range range = parameter.range();
        if (range == null) {
            return null;
        }
        boolean whole = parameter.type() == ParameterType.INTEGER;
        return new RangeView(whole ? (Number) (long) range.min() : range.min(), range.minIncluded(),
                whole ? (Number) (long) range.max() : range.max(), range.maxIncluded(), range.toString());
    }

    /** Task ids in the catalogue's order. */
    private static List<String> ids(Set<Task> tasks) {
        return Arrays.stream(Task.values()).filter(tasks::contains).map(Task::id).toList();
    }
}
