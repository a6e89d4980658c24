package dev.lumen.catalogue;

import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * One explanation method as the catalogue declares it.
 *
 * @param id the method's name in requests, events and the CLI
 * @param title its name in the literature
 * @param family how it reads the model
 * @param tasks the tasks it explains
 * @param parameters the parameters it takes, with its defaults
 * @param rules checks across its parameters
 * @param implementation for gradient methods, the explainer's class that computes the map from
 *     activations and gradients (loaded by name, so this module stays free of TensorFlow); null for
 *     perturbation methods, which share one masked-image body and differ only in parameters
 * @param doc one line: what it computes and its source
 */
public record Method(String id, String title, Family family, Set<Task> tasks, List<Parameter> parameters,
        List<ParameterRule> rules, String implementation, String doc) {

    /** Copies the collections and checks that parameter names are unique. */
    public Method {
        tasks = Set.copyOf(tasks);
        parameters = List.copyOf(parameters);
        rules = List.copyOf(rules);
        if (parameters.stream().map(Parameter::name).distinct().count() != parameters.size()) {
            throw new IllegalArgumentException("method " + id + " lists a parameter twice");
        }
    }

    /** Whether the method can explain a model of {@code task}. */
    public boolean explains(Task task) {
        return tasks.contains(task);
    }

    /** The parameter called {@code name}, if the method takes it. */
    public Optional<Parameter> parameter(String name) {
        return parameters.stream().filter(p -> p.name().equals(name)).findFirst();
    }

    /** The parameters that apply to a model of {@code task}. */
    public List<Parameter> parametersFor(Task task) {
        return parameters.stream().filter(p -> p.appliesTo(task)).toList();
    }
}
