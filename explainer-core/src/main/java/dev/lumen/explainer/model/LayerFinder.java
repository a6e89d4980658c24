package dev.lumen.explainer.model;

import dev.lumen.explainer.model.ModelDescriptor.Layout;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;

/**
 * Finds the layer Grad-CAM style methods explain at: the last 4-D spatial activation on the path
 * from the model input to the explained output, i.e. the 4-D float tensor closest to the output
 * (fewest operations away) that depends on the input and still has a spatial extent. Closest to the
 * output gives the most semantic features; the spatial condition skips global-pool results.
 */
final class LayerFinder {

    private final GraphSession graph;
    private final TensorRef input;
    private final Layout layout;

    LayerFinder(GraphSession graph, TensorRef input, Layout layout) {
        this.graph = graph;
        this.input = input;
        this.layout = layout;
    }

    /** The discovered layer for {@code output}. */
    TargetLayer discover(TensorRef output) {
        Map<TensorRef, Integer> distances = upstreamDistances(output);
        Map<String, Boolean> dependsOnInput = new HashMap<>();
        TensorRef best = null;
        int bestDistance = Integer.MAX_VALUE;
        for (Map.Entry<TensorRef, Integer> entry : distances.entrySet()) {
            TensorRef tensor = entry.getKey();
            int distance = entry.getValue();
            boolean closer = distance < bestDistance
                    || distance == bestDistance && tensor.toString().compareTo(best.toString()) < 0;
            if (closer && isSpatialActivation(tensor) && dependsOnInput(tensor.operation(), dependsOnInput)) {
                best = tensor;
                bestDistance = distance;
            }
        }
        if (best == null) {
            throw new ModelLoadException("no 4-D spatial activation lies between input " + input + " and output "
                    + output + "; name one with the targetLayer option (models whose layers live inside"
                    + " StatefulPartitionedCall functions, as Keras exports them, are not supported yet)");
        }
        return new TargetLayer(best, true);
    }

    /**
     * Checks a layer named by the user: {@code op} or {@code op:index}.
     *
     * @throws IllegalArgumentException when it does not exist, is not a 4-D float tensor, or does
     *     not lie between the input and {@code output}
     */
    TargetLayer named(String name, TensorRef output) {
        TensorRef tensor = TensorRef.parse(name);
        if (!graph.hasOperation(tensor.operation())) {
            throw new IllegalArgumentException("target layer '" + name + "' is not an operation of the graph");
        }
        if (tensor.index() >= graph.outputCount(tensor.operation())) {
            throw new IllegalArgumentException("target layer '" + name + "': operation has no output " + tensor.index());
        }
        long[] shape = graph.shape(tensor);
        if (!graph.isFloat(tensor) || shape == null || shape.length != 4) {
            throw new IllegalArgumentException("target layer '" + name + "' must be a 4-D float activation"
                    + (shape == null ? "" : ", has rank " + shape.length));
        }
        if (!upstreamDistances(output).containsKey(tensor) || !dependsOnInput(tensor.operation(), new HashMap<>())) {
            throw new IllegalArgumentException("target layer '" + name + "' does not lie between input " + input
                    + " and output " + output);
        }
        return new TargetLayer(tensor, false);
    }

    /** Every tensor the output depends on, with its distance in operations (breadth-first). */
    private Map<TensorRef, Integer> upstreamDistances(TensorRef output) {
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

    private boolean isSpatialActivation(TensorRef tensor) {
        if (tensor.equals(input) || !graph.isFloat(tensor)) {
            return false;
        }
        long[] shape = graph.shape(tensor);
        if (shape == null || shape.length != 4) {
            return false;
        }
        long height = layout == Layout.NHWC ? shape[1] : shape[2];
        long width = layout == Layout.NHWC ? shape[2] : shape[3];
        return spatial(height) && spatial(width) && !(height == 1 && width == 1);
    }

    /** Known sizes must exceed 1; unknown sizes (-1) are taken on trust. */
    private static boolean spatial(long size) {
        return size == -1 || size > 1;
    }

    /**
     * Whether an operation's value changes with the input: weights and constants do not.
     * Iterative depth-first search, because real graphs are deeper than the Java stack likes.
     */
    private boolean dependsOnInput(String op, Map<String, Boolean> memo) {
        Deque<String> stack = new ArrayDeque<>();
        Set<String> expanded = new HashSet<>();
        stack.push(op);
        while (!stack.isEmpty()) {
            String current = stack.peek();
            if (memo.containsKey(current)) {
                stack.pop();
            } else if (current.equals(input.operation())) {
                memo.put(current, true);
                stack.pop();
            } else if (expanded.add(current)) {
                for (TensorRef source : graph.inputs(current)) {
                    // An expanded but unresolved source means a loop (while-loop back edge): skip it.
                    if (!memo.containsKey(source.operation()) && !expanded.contains(source.operation())) {
                        stack.push(source.operation());
                    }
                }
            } else {
                boolean depends = graph.inputs(current).stream()
                        .anyMatch(source -> Boolean.TRUE.equals(memo.get(source.operation())));
                memo.put(current, depends);
                stack.pop();
            }
        }
        return memo.get(op);
    }
}
