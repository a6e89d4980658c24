package dev.lumen.tfjs;

import dev.lumen.explainer.model.graphdef.GraphEditor;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Deque;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.tensorflow.proto.AttrValue;
import org.tensorflow.proto.DataType;
import org.tensorflow.proto.NodeDef;
import org.tensorflow.proto.TensorShapeProto;

/**
 * Makes a graph exported with batch size 1 accept any batch. Such graphs bake the 1 into their
 * input placeholder and into shape operands (Reshape's {@code shape}, Conv2DBackpropInput's
 * {@code input_sizes}); feeding a larger batch then gives wrong outputs or fails. Each such operand
 * whose first element is 1, on an operation whose data comes from the input, is replaced by
 * {@code concat(shape(data)[0:1], operand[1:])}: the batch is read from the data at run time.
 *
 * <p>Operands on data that does not come from the input (reshaping a weight) are left alone: their
 * leading 1 is not a batch.
 */
final class BatchDimension {

    /** Operations with a shape operand: index of the shape operand and of the data carrying the batch. */
    private record ShapeOperand(int shapeInput, int dataInput, String typeAttr) {
    }

    private static final Map<String, ShapeOperand> SHAPE_OPERANDS = Map.of(
            "Reshape", new ShapeOperand(1, 0, "Tshape"),
            "Conv2DBackpropInput", new ShapeOperand(0, 2, null));

    private final GraphEditor graph;
    private final ShapeFolder folder;
    private final Set<String> batchCarrying;

    private BatchDimension(GraphEditor graph) {
        this.graph = graph;
        this.folder = new ShapeFolder(graph);
        this.batchCarrying = downstreamOfPlaceholders(graph);
    }

    /**
     * Rewrites the graph in place; returns what it rewrote ({@code Placeholder NAME}, {@code Reshape NAME}, ...).
     *
     * @throws UnsupportedModelException when a shape operand on the batch path cannot be evaluated
     */
    static List<String> makeDynamic(GraphEditor graph) {
        return makeDynamic(graph, Set.of());
    }

    /**
     * Rewrites the graph in place except the shape operands of the nodes in {@code keep} (rewrites
     * that {@link BatchCheck} found to change what the graph computes); returns what it rewrote.
     */
    static List<String> makeDynamic(GraphEditor graph, Set<String> keep) {
        BatchDimension batch = new BatchDimension(graph);
        List<String> rewritten = new ArrayList<>(batch.placeholders());
        for (NodeDef node : graph.nodes()) {
            ShapeOperand operand = SHAPE_OPERANDS.get(node.getOp());
            if (operand != null && !keep.contains(node.getName()) && batch.rewrite(node, operand)) {
                rewritten.add(node.getOp() + " " + node.getName());
            }
        }
        return rewritten;
    }

    /** The input carrying the batch of a node whose shape operand this class rewrites, or null for other nodes. */
    static String dataInput(NodeDef node) {
        ShapeOperand operand = SHAPE_OPERANDS.get(node.getOp());
        return operand == null ? null : node.getInput(operand.dataInput());
    }

    private List<String> placeholders() {
        List<String> changed = new ArrayList<>();
        for (NodeDef node : graph.nodes()) {
            if (!node.getOp().equals("Placeholder") || !node.containsAttr("shape")) {
                continue;
            }
            TensorShapeProto shape = node.getAttrOrThrow("shape").getShape();
            if (shape.getDimCount() > 0 && shape.getDim(0).getSize() == 1) {
                TensorShapeProto dynamic = shape.toBuilder().setDim(0, TensorShapeProto.Dim.newBuilder().setSize(-1)).build();
                graph.put(node.toBuilder().putAttr("shape", AttrValue.newBuilder().setShape(dynamic).build()).build());
                changed.add("Placeholder " + node.getName());
            }
        }
        return changed;
    }

    private boolean rewrite(NodeDef node, ShapeOperand operand) {
        List<String> inputs = node.getInputList();
        String data = inputs.get(operand.dataInput());
        if (!batchCarrying.contains(GraphEditor.nodeName(data))) {
            return false;
        }
        String shapeInput = inputs.get(operand.shapeInput());
        if (batchCarrying.contains(GraphEditor.nodeName(shapeInput))) {
            return false; // computed from the input at run time: already follows the batch
        }
        long[] shape = folder.fold(shapeInput);
        if (shape == null) {
            throw new UnsupportedModelException("cannot make the batch dimension dynamic: the shape operand of "
                    + node.getOp() + " '" + node.getName() + "' is computed by operations the importer cannot"
                    + " evaluate; import without the dynamic batch option");
        }
        if (shape.length < 2 || shape[0] != 1) {
            return false;
        }
        DataType shapeType = operand.typeAttr() == null
                ? DataType.DT_INT32
                : node.getAttrOrDefault(operand.typeAttr(), GraphEditor.type(DataType.DT_INT32)).getType();
        String dynamicShape = batchFirst(node.getName(), data, node.getAttrOrThrow("T"), shapeType,
                Arrays.copyOfRange(shape, 1, shape.length));
        List<String> rewired = new ArrayList<>(inputs);
        rewired.set(operand.shapeInput(), dynamicShape);
        graph.put(node.toBuilder().clearInput().addAllInput(rewired).build());
        return true;
    }

    /** Adds {@code concat(shape(data)[0:1], perSample)} under {@code owner/dynamic_batch}; returns its name. */
    private String batchFirst(String owner, String data, AttrValue dataType, DataType shapeType, long[] perSample) {
        String prefix = owner + "/dynamic_batch";
        AttrValue shapeTypeAttr = GraphEditor.type(shapeType);
        String shapeOf = graph.freshName(prefix + "/input_shape");
        graph.put(NodeDef.newBuilder().setName(shapeOf).setOp("Shape").addInput(data)
                .putAttr("T", dataType).putAttr("out_type", shapeTypeAttr).build());
        String begin = graph.addConst(prefix + "/begin", Tensors.vector(DataType.DT_INT32, new long[] {0}));
        String end = graph.addConst(prefix + "/end", Tensors.vector(DataType.DT_INT32, new long[] {1}));
        String strides = graph.addConst(prefix + "/strides", Tensors.vector(DataType.DT_INT32, new long[] {1}));
        String batch = graph.freshName(prefix + "/batch");
        NodeDef.Builder slice = NodeDef.newBuilder().setName(batch).setOp("StridedSlice")
                .addInput(shapeOf).addInput(begin).addInput(end).addInput(strides)
                .putAttr("T", shapeTypeAttr).putAttr("Index", GraphEditor.type(DataType.DT_INT32));
        for (String mask : List.of("begin_mask", "end_mask", "ellipsis_mask", "new_axis_mask", "shrink_axis_mask")) {
            slice.putAttr(mask, AttrValue.newBuilder().setI(0).build());
        }
        graph.put(slice.build());
        String rest = graph.addConst(prefix + "/per_sample", Tensors.vector(shapeType, perSample));
        String axis = graph.addConst(prefix + "/axis", Tensors.scalar(0));
        String shape = graph.freshName(prefix + "/shape");
        graph.put(NodeDef.newBuilder().setName(shape).setOp("ConcatV2")
                .addInput(batch).addInput(rest).addInput(axis)
                .putAttr("N", AttrValue.newBuilder().setI(2).build())
                .putAttr("T", shapeTypeAttr)
                .putAttr("Tidx", GraphEditor.type(DataType.DT_INT32))
                .build());
        return shape;
    }

    /** Nodes whose value depends on a Placeholder, i.e. whose leading dimension may be the batch. */
    private static Set<String> downstreamOfPlaceholders(GraphEditor graph) {
        Map<String, List<String>> consumers = new HashMap<>();
        Deque<String> pending = new ArrayDeque<>();
        for (NodeDef node : graph.nodes()) {
            for (String input : node.getInputList()) {
                if (!input.startsWith("^")) {
                    consumers.computeIfAbsent(GraphEditor.nodeName(input), k -> new ArrayList<>()).add(node.getName());
                }
            }
            if (node.getOp().equals("Placeholder")) {
                pending.add(node.getName());
            }
        }
        Set<String> reached = new HashSet<>();
        while (!pending.isEmpty()) {
            String name = pending.pop();
            if (reached.add(name)) {
                pending.addAll(consumers.getOrDefault(name, List.of()));
            }
        }
        return reached;
    }
}
