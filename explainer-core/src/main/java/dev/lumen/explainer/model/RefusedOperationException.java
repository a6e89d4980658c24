package dev.lumen.explainer.model;

/**
 * A graph refused by Lumen's graph policy: it holds an operation that reaches outside the tensor
 * world (files, processes, other machines). Carries the operation type and node so that a front door
 * can name them to the person who uploaded the model; the message says the same in words.
 */
public class RefusedOperationException extends ModelLoadException {

    private final String operation;
    private final String node;
    private final String location;

    /**
     * @param operation the refused operation type, e.g. {@code ReadFile}
     * @param node the name of the node that runs it
     * @param location where it sits: {@code the graph}, {@code function 'f'}, ...
     */
    public RefusedOperationException(String operation, String node, String location, String message) {
        super(message);
        this.operation = operation;
        this.node = node;
        this.location = location;
    }

    /** The refused operation type, e.g. {@code ReadFile}. */
    public String operation() {
        return operation;
    }

    /** The node that runs it. */
    public String node() {
        return node;
    }

    /** Where the node sits ({@code the graph}, {@code function 'name'}, ...). */
    public String location() {
        return location;
    }
}
