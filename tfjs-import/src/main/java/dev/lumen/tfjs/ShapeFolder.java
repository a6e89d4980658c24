package dev.lumen.tfjs;

import dev.lumen.explainer.model.graphdef.GraphEditor;
import java.util.Arrays;
import java.util.List;
import org.tensorflow.proto.AttrValue;
import org.tensorflow.proto.NodeDef;

/**
 * Evaluates the small constant subgraphs that compute shape operands, such as ONNX exports'
 * {@code AddV2(Const [1,44,-1], SparseToDense(...))}: Const, Identity, Cast, element-wise
 * Add/AddV2/Sub/Mul, and 1-D SparseToDense. Works on 1-D integer vectors only; anything else folds
 * to null (unknown).
 */
final class ShapeFolder {

    private final GraphEditor graph;

    ShapeFolder(GraphEditor graph) {
        this.graph = graph;
    }

    /** The value of {@code input} when it is a constant integer vector (or scalar), else null. */
    long[] fold(String input) {
        NodeDef node = graph.producer(input);
        if (node == null || input.startsWith("^") || outputIndex(input) != 0) {
            return null;
        }
        List<String> in = node.getInputList().stream().filter(i -> !i.startsWith("^")).toList();
        return switch (node.getOp()) {
            case "Const" -> Tensors.integers(node.getAttrOrDefault("value", AttrValue.getDefaultInstance()).getTensor());
            case "Identity", "Cast" -> fold(in.get(0));
            case "Add", "AddV2", "Sub", "Mul" -> elementwise(node.getOp(), fold(in.get(0)), fold(in.get(1)));
            case "SparseToDense" -> sparseToDense(in);
            default -> null;
        };
    }

    private static long[] elementwise(String op, long[] a, long[] b) {
        if (a == null || b == null || a.length != b.length && a.length != 1 && b.length != 1) {
            return null;
        }
        long[] result = new long[Math.max(a.length, b.length)];
        for (int i = 0; i < result.length; i++) {
            long x = a[a.length == 1 ? 0 : i];
            long y = b[b.length == 1 ? 0 : i];
            result[i] = switch (op) {
                case "Sub" -> x - y;
                case "Mul" -> x * y;
                default -> x + y;
            };
        }
        return result;
    }

    /** SparseToDense(indices, output_shape, values, default) for a 1-D output. */
    private long[] sparseToDense(List<String> in) {
        long[] indices = fold(in.get(0));
        long[] outputShape = fold(in.get(1));
        long[] values = fold(in.get(2));
        long[] fill = fold(in.get(3));
        if (indices == null || outputShape == null || outputShape.length != 1 || values == null || fill == null
                || fill.length != 1 || values.length != 1 && values.length != indices.length) {
            return null;
        }
        long[] dense = new long[Math.toIntExact(outputShape[0])];
        Arrays.fill(dense, fill[0]);
        for (int i = 0; i < indices.length; i++) {
            if (indices[i] < 0 || indices[i] >= dense.length) {
                return null;
            }
            dense[(int) indices[i]] = values[values.length == 1 ? 0 : i];
        }
        return dense;
    }

    private static int outputIndex(String input) {
        int colon = input.lastIndexOf(':');
        return colon < 0 ? 0 : Integer.parseInt(input.substring(colon + 1));
    }
}
