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
