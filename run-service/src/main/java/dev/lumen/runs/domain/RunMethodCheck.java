package dev.lumen.runs.domain;

import dev.lumen.catalogue.InvalidParameterException;
import dev.lumen.catalogue.LabelChoice;
import dev.lumen.catalogue.Method;
import dev.lumen.catalogue.MethodCatalogue;
import dev.lumen.catalogue.Parameter;
import dev.lumen.catalogue.ParameterType;
import dev.lumen.catalogue.Parameters;
import dev.lumen.catalogue.Task;
import dev.lumen.service.rest.ProblemException;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Checks a run's method and parameters against the {@link MethodCatalogue} and the model's labels, so
 * that a run a worker could only fail is refused before anything is published. The REST front door
 * and requests other services publish on the topic go through it alike (both via {@link RunPlanner}).
 * Every refusal names its field: {@code method}, or {@code parameters.<name>} with what the parameter
 * allows.
 */
public final class RunMethodCheck {

    /** Prefix of the field a bad parameter is reported under. */
    public static final String PARAMETERS_FIELD = "parameters.";
    private static final int LABELS_SHOWN = 20;

    private RunMethodCheck() {
    }

    /**
     * The method called {@code id}.
     *
     * @throws ProblemException 400 on field {@code method}, naming the methods there are
     */
    public static Method method(String id) {
        try {
            return MethodCatalogue.require(id);
        } catch (IllegalArgumentException e) {
            throw ProblemException.badField("method", e.getMessage());
        }
    }

    /**
     * The run's parameters, typed, once the method explains {@code task} and every parameter is one the
     * method takes for that task, of the right type and in range. A label parameter ({@code class})
     * must name one of {@code labels}, when the descriptor lists any.
     *
     * @param modelId the model, for messages
     * @throws ProblemException 422 {@code method-not-allowed} when the method does not explain the task;
     *     400 on field {@code parameters.<name>} for the first bad parameter
     */
    public static Parameters parameters(Method method, Task task, Map<String, ?> raw, String modelId,
                                        List<String> labels) {
        if (!method.explains(task)) {
            throw ProblemException.unprocessable("method-not-allowed", "method '" + method.id()
                    + "' cannot explain a " + task.id() + " model; allowed: " + MethodCatalogue.idsFor(task));
        }
        Parameters values;
        jsonTypes(method, task, raw);
        try {
            values = Parameters.of(method, task, raw);
        } catch (InvalidParameterException e) {
            throw ProblemException.badField(PARAMETERS_FIELD + e.parameter(), e.getMessage());
        }
        if (!labels.isEmpty()) {
            for (Parameter parameter : method.parametersFor(task)) {
                if (parameter.type() == ParameterType.LABEL && values.isSet(parameter)) {
                    checkLabel(parameter, values.value(parameter), modelId, labels);
                }
            }
        }
        return values;
    }

    /**
     * A {@code targetLayer} must be an operation of the model's graph ({@code op} or {@code op:index}),
     * when the registry listed the graph's operations ({@code operations} present).
     *
     * @throws ProblemException 400 on field {@code parameters.targetLayer}
     */
    public static void targetLayer(Parameters values, String modelId, Optional<Set<String>> operations) {
        if (!values.isSet(MethodCatalogue.TARGET_LAYER) || operations.isEmpty()) {
            return;
        }
        String layer = values.string(MethodCatalogue.TARGET_LAYER);
        String operation = layer.replaceFirst(":\\d+$", "");
        if (!operations.get().contains(operation)) {
            String name = MethodCatalogue.TARGET_LAYER.name();
            throw ProblemException.badField(PARAMETERS_FIELD + name, "parameter " + name + " must name an operation of "
                    + "model '" + modelId + "' (op or op:index), got \"" + shortened(layer) + "\"");
        }
    }

    /**
     * JSON numbers and booleans must be JSON numbers and booleans: {@code "masks": "2000"} is refused
     * (the catalogue itself also reads text, for command lines); a null is refused too, since leaving
     * the parameter out is how its default is asked for.
     *
     * @throws ProblemException 400 on field {@code parameters.<name>}
     */
    private static void jsonTypes(Method method, Task task, Map<String, ?> raw) {
        if (raw == null) {
            return;
        }
        for (Map.Entry<String, ?> entry : raw.entrySet()) {
            if (entry.getValue() == null) {
                throw ProblemException.badField(PARAMETERS_FIELD + entry.getKey(), "parameter " + entry.getKey()
                        + " is null; leave it out for its default");
            }
        }
        for (Parameter parameter : method.parametersFor(task)) {
            Object value = raw.get(parameter.name());
            if (!(value instanceof String text)) {
                continue;
            }
            String expected = switch (parameter.type()) {
                case INTEGER -> "an integer";
                case NUMBER -> "a number";
                case BOOLEAN -> "true or false";
                default -> null;
            };
            if (expected != null) {
                throw ProblemException.badField(PARAMETERS_FIELD + parameter.name(), "parameter " + parameter.name()
                        + " must be " + expected + " as a JSON " + (parameter.type() == ParameterType.BOOLEAN ? "boolean" : "number")
                        + ", not a string, got \"" + shortened(text) + "\"");
            }
        }
    }

    private static String shortened(String text) {
        return text.length() > 40 ? text.substring(0, 40) + "..." : text;
    }

    /** A label is a name of {@code labels}, or an index into them (the explainer's own {@link LabelChoice}). */
    private static void checkLabel(Parameter parameter, Object value, String modelId, List<String> labels) {
        try {
            LabelChoice.resolve(labels, value);
        } catch (IllegalArgumentException e) {
            String shown = String.join(", ", labels.subList(0, Math.min(LABELS_SHOWN, labels.size())))
                    + (labels.size() > LABELS_SHOWN ? ", ..." : "");
            throw ProblemException.badField(PARAMETERS_FIELD + parameter.name(), "parameter " + parameter.name()
                    + " must be a label of model '" + modelId + "' (" + shown + ") or an index in 0.."
                    + (labels.size() - 1) + ", got " + (value instanceof String ? "\"" + value + "\"" : value));
        }
    }
}
