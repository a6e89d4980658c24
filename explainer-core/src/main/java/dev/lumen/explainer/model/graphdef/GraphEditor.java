package dev.lumen.explainer.model.graphdef;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.tensorflow.proto.AttrValue;
import org.tensorflow.proto.DataType;
import org.tensorflow.proto.GraphDef;
import org.tensorflow.proto.NodeDef;
import org.tensorflow.proto.TensorProto;

/**
 * A GraphDef's nodes under edit: looked up by name, replaced in place (a replaced node's
 * consumers keep their wiring when the replacement's last node takes the original name), and
 * appended, with names kept unique.
 */
public final class GraphEditor {

    private final GraphDef original;
    private final Map<String, NodeDef> nodes = new LinkedHashMap<>();

    /** An editor over a copy of {@code graph}'s nodes. */
    public GraphEditor(GraphDef graph) {
        this.original = graph;
        graph.getNodeList().forEach(node -> nodes.put(node.getName(), node));
    }

    /** All nodes, in graph order (a copy: editing while iterating is safe). */
    public List<NodeDef> nodes() {
        return new ArrayList<>(nodes.values());
    }

    /** The node named {@code name}, or null. */
    public NodeDef node(String name) {
        return nodes.get(name);
    }

    /** Producer of an input reference ({@code name}, {@code name:1} or {@code ^name}), or null. */
    public NodeDef producer(String input) {
        return nodes.get(nodeName(input));
    }

    /** Replaces or adds {@code node}, keyed by its name. */
    public void put(NodeDef node) {
        nodes.put(node.getName(), node);
    }

    /**
     * Replaces the node named {@code name} by {@code replacement}, in its place. The replacement's
     * new nodes must have fresh names (see {@link #freshName}); one of them usually takes {@code name}.
     */
    public void replace(String name, List<NodeDef> replacement) {
        Map<String, NodeDef> rebuilt = new LinkedHashMap<>();
        nodes.forEach((key, node) -> {
            if (key.equals(name)) {
                replacement.forEach(r -> rebuilt.put(r.getName(), r));
            } else {
                rebuilt.put(key, node);
            }
        });
        nodes.clear();
        nodes.putAll(rebuilt);
    }

    /** {@code base}, or {@code base_N} when a node already has that name. */
    public String freshName(String base) {
        if (!nodes.containsKey(base)) {
            return base;
        }
        for (int n = 1; ; n++) {
            if (!nodes.containsKey(base + "_" + n)) {
                return base + "_" + n;
            }
        }
    }

    /** A Const node holding {@code value}, added under a fresh name derived from {@code base}. */
    public String addConst(String base, TensorProto value) {
        String name = freshName(base);
        put(NodeDef.newBuilder().setName(name).setOp("Const")
                .putAttr("dtype", type(value.getDtype()))
                .putAttr("value", AttrValue.newBuilder().setTensor(value).build())
                .build());
        return name;
    }

    /** The edited graph, with the original's versions and function library. */
    public GraphDef toGraphDef() {
        return original.toBuilder().clearNode().addAllNode(nodes.values()).build();
    }

    /** A type attribute. */
    public static AttrValue type(DataType type) {
        return AttrValue.newBuilder().setType(type).build();
    }

    /** The node part of an input reference: {@code ^name}, {@code name:1} and {@code name} give {@code name}. */
    public static String nodeName(String input) {
        String name = input.startsWith("^") ? input.substring(1) : input;
        int colon = name.lastIndexOf(':');
        return colon < 0 ? name : name.substring(0, colon);
    }
}
