package dev.lumen.explainer.model;

import java.util.ArrayDeque;
import java.util.Deque;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Questions about the data path between the model input and the tensors after it: which tensors
 * an output depends on, and which operations depend on the input (as opposed to weights and
 * constants). Answers about input dependence are memoised; the graph only ever grows by gradient
 * operations, which no forward tensor depends on.
 */
final class GraphPaths {

    private final GraphSession graph;
    private final TensorRef input;
    private final Map<String, Boolean> dependsOnInput = new ConcurrentHashMap<>();

    GraphPaths(GraphSession graph, TensorRef input) {
        this.graph = graph;
        this.input = input;
    }

    TensorRef input() {
        return input;
    }

    /** Every tensor {@code output} depends on, with its distance in operations (breadth-first). */
    Map<TensorRef, Integer> upstreamDistances(TensorRef output) {
        Map<TensorRef, Integer> distances = new HashMap<>();
        distances.put(output, 0);
        Map<String, Integer> opDistance = new HashMap<>();
        Deque<String> queue = new ArrayDeque<>();
        opDistance.put(output.operation(), 0);
        queue.add(output.operation());
        while (!queue.isEmpty()) {
            String op = queue.poll();
            int next = opDistance.get(op) + 1;
            for (TensorRef source : graph.inputs(op)) {
                distances.putIfAbsent(source, next);
                if (opDistance.putIfAbsent(source.operation(), next) == null) {
                    queue.add(source.operation());
                }
            }
        }
        return distances;
    }

    /** The first input of {@code op} that carries image data: a 4-D float tensor depending on the input. */
    TensorRef dataInput(String op) {
        for (TensorRef source : graph.inputs(op)) {
            long[] shape = graph.shape(source);
            if (shape != null && shape.length == 4 && graph.isFloat(source) && dependsOnInput(source.operation())) {
                return source;
            }
        }
        return null;
    }

    /**
     * Whether an operation's value changes with the input. Iterative depth-first search, because
     * real graphs are deeper than the Java stack likes.
     */
    boolean dependsOnInput(String op) {
        Deque<String> stack = new ArrayDeque<>();
        Set<String> expanded = new HashSet<>();
        stack.push(op);
        while (!stack.isEmpty()) {
            String current = stack.peek();
            if (dependsOnInput.containsKey(current)) {
                stack.pop();
            } else if (current.equals(input.operation())) {
                dependsOnInput.put(current, true);
                stack.pop();
            } else if (expanded.add(current)) {
                for (TensorRef source : graph.inputs(current)) {
                    // An expanded but unresolved source means a loop (while-loop back edge): skip it.
                    if (!dependsOnInput.containsKey(source.operation()) && !expanded.contains(source.operation())) {
                        stack.push(source.operation());
                    }
                }
            } else {
                boolean depends = graph.inputs(current).stream()
                        .anyMatch(source -> Boolean.TRUE.equals(dependsOnInput.get(source.operation())));
                dependsOnInput.put(current, depends);
                stack.pop();
            }
        }
        return dependsOnInput.get(op);
    }
}
