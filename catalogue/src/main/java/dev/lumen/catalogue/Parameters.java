package dev.lumen.catalogue;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * A run's {@code parameters} checked against one method for one task: every given value is a
 * parameter the method takes for that task, of the right type and in range, and the method's rules
 * hold. Absent parameters read as the method's defaults.
 */
public final class Parameters {

    private final Method method;
    private final Task task;
    private final Map<String, Object> given;

    private Parameters(Method method, Task task, Map<String, Object> given) {
        this.method = method;
        this.task = task;
        this.given = Map.copyOf(given);
    }

    /**
     * Checks {@code raw} (null keys and values are dropped: a JSON {@code null} means "default").
     *
     * @throws InvalidParameterException for the first parameter that is unknown, does not apply to
     *     {@code task}, is of the wrong type or out of range, or breaks a rule; the message names
     *     the parameter and what is allowed
     * @throws IllegalArgumentException when {@code method} does not explain {@code task}
     */
    public static Parameters of(Method method, Task task, Map<String, ?> raw) {
        if (!method.explains(task)) {
            List<String> ids = MethodCatalogue.methodsFor(task).stream().map(Method::id).toList();
            String use = ids.size() == 1 ? ids.get(0)
                    : String.join(", ", ids.subList(0, ids.size() - 1)) + " or " + ids.get(ids.size() - 1);
            throw new IllegalArgumentException("method " + method.id() + " does not explain task " + task.id()
                    + "; use " + use);
        }
        Map<String, Object> given = new LinkedHashMap<>();
        if (raw != null) {
            for (Map.Entry<String, ?> entry : raw.entrySet()) {
                if (entry.getKey() == null || entry.getValue() == null) {
                    continue;
                }
                Parameter parameter = known(method, task, entry.getKey());
                given.put(parameter.name(), parameter.parse(entry.getValue()));
            }
        }
        Parameters values = new Parameters(method, task, given);
        method.rules().forEach(rule -> rule.check(values));
        return values;
    }

    /** The defaults of {@code method} for {@code task}. */
    public static Parameters defaults(Method method, Task task) {
        return of(method, task, Map.of());
    }

    /**
     * The same values for another method (the fallback when this one cannot run): values the other
     * method does not take are left out, the rest are checked again.
     */
    public Parameters forMethod(Method other) {
        return taken(other, task, given);
    }

    /**
     * The values of {@code raw} that {@code method} takes for {@code task}, checked; the others are
     * left out (for a method that runs in place of the one the values were given for).
     *
     * @throws InvalidParameterException for a kept value that is of the wrong type or out of range
     */
    public static Parameters taken(Method method, Task task, Map<String, ?> raw) {
        Map<String, Object> kept = new LinkedHashMap<>();
        raw.forEach((name, value) -> {
            if (method.parameter(name).map(p -> p.appliesTo(task)).orElse(false)) {
                kept.put(name, value);
            }
        });
        return of(method, task, kept);
    }

    /** The method these values are for. */
    public Method method() {
        return method;
    }

    /** The task these values are for. */
    public Task task() {
        return task;
    }

    /** The values the request gave, typed and keyed by parameter name (defaults not included). */
    public Map<String, Object> given() {
        return given;
    }

    /** Whether the request gave {@code parameter}. */
    public boolean isSet(Parameter parameter) {
        return given.containsKey(parameter.name());
    }

    /** The given value, else the method's default; null when the default is decided at run time. */
    public Object value(Parameter parameter) {
        Parameter declared = declared(parameter);
        Object value = given.get(declared.name());
        return value != null ? value : declared.defaultValue();
    }

    /** An integer parameter's value. */
    public int integer(Parameter parameter) {
        return ((Number) required(parameter)).intValue();
    }

    /** A number parameter's value. */
    public double number(Parameter parameter) {
        return ((Number) required(parameter)).doubleValue();
    }

    /** A boolean parameter's value. */
    public boolean bool(Parameter parameter) {
        return (Boolean) required(parameter);
    }

    /** A string or choice parameter's value, or null when its default is decided at run time. */
    public String string(Parameter parameter) {
        Object value = value(parameter);
        return value == null ? null : value.toString();
    }

    private Object required(Parameter parameter) {
        Object value = value(parameter);
        if (value == null) {
            throw new IllegalStateException("parameter " + parameter.name() + " of " + method.id() + " has no default");
        }
        return value;
    }

    private Parameter declared(Parameter parameter) {
        return method.parameter(parameter.name()).orElseThrow(() -> new IllegalStateException(
                "method " + method.id() + " takes no parameter " + parameter.name()));
    }

    private static Parameter known(Method method, Task task, String name) {
        Parameter parameter = method.parameter(name).orElse(null);
        if (parameter == null) {
            String takes = method.parametersFor(task).stream().map(Parameter::name).collect(Collectors.joining(", "));
            String others = MethodCatalogue.methods().stream().filter(m -> m.parameter(name).isPresent())
                    .map(Method::id).collect(Collectors.joining(", "));
            throw new InvalidParameterException(name, (others.isEmpty()
                    ? "unknown parameter " + name
                    : "parameter " + name + " is taken by " + others + ", not by " + method.id())
                    + "; " + method.id() + " takes: " + takes);
        }
        if (!parameter.appliesTo(task)) {
            throw new InvalidParameterException(name, "parameter " + name + " applies to "
                    + parameter.tasks().stream().map(Task::id).sorted().collect(Collectors.joining(", "))
                    + " models only, not to " + task.id());
        }
        return parameter;
    }

    @Override
    public String toString() {
        return method.id() + given;
    }
}
