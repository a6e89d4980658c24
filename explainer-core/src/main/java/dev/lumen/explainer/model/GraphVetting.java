package dev.lumen.explainer.model;

import java.nio.file.Path;
import java.util.Collection;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.tensorflow.proto.AttrValue;
import org.tensorflow.proto.FunctionDef;
import org.tensorflow.proto.MetaGraphDef;
import org.tensorflow.proto.NodeDef;

/**
 * The checks a SavedModel's graph gets before anything runs it, for callers that never load the model
 * (run-service registering an upload): the meta graph tagged {@code serve} is read and vetted by the
 * same {@link GraphPolicy} a worker applies in {@link LoadedModel#load}, without TensorFlow's natives.
 * Also lists the operation names the worker can resolve a target layer against.
 */
public final class GraphVetting {

    /** Above this many names the listing stops: a graph that large is not checked by name at the front door. */
    static final int MAX_OPERATIONS = 500_000;
    private static final int MAX_DEPTH = 64;
    private static final Set<String> CALL_OPS = Set.of("StatefulPartitionedCall", "PartitionedCall");

    private GraphVetting() {
    }

    /**
     * A vetted graph.
     *
     * @param operations every operation name a worker may resolve a target layer to: the graph's nodes
     *     and, for each function call, its body's nodes as {@code <call>/<node>} (the names
     *     {@link FunctionInliner} gives them), recursively; empty when {@code complete} is false
     * @param complete false when the graph has more than {@link #MAX_OPERATIONS} names (not listed)
     */
    public record VettedGraph(Set<String> operations, boolean complete) {

        /** Whether a target layer named {@code name} ({@code op} or {@code op:index}) can exist in the graph. */
        public boolean mayHaveLayer(String name) {
            return !complete || operations.contains(TensorRef.parse(name).operation());
        }
    }

    /**
     * Reads {@code modelDir/saved_model.pb} and applies the graph policy.
     *
     * @throws RefusedOperationException naming the first refused operation and its node
     * @throws ModelLoadException when the file is missing, unreadable or has no {@code serve} meta graph
     */
    public static VettedGraph vet(Path modelDir) {
        MetaGraphDef meta = SavedModelFile.read(modelDir).meta();
        GraphPolicy.check(meta);
        Map<String, FunctionDef> functions = new HashMap<>();
        meta.getGraphDef().getLibrary().getFunctionList().forEach(f -> functions.put(f.getSignature().getName(), f));
        Set<String> names = new TreeSet<>();
        boolean complete = collect("", meta.getGraphDef().getNodeList(), functions, names, 0);
        return complete ? new VettedGraph(Set.copyOf(names), true) : new VettedGraph(Set.of(), false);
    }

    private static boolean collect(String prefix, Collection<NodeDef> nodes, Map<String, FunctionDef> functions,
                                   Set<String> names, int depth) {
        for (NodeDef node : nodes) {
            names.add(prefix + node.getName());
            if (names.size() > MAX_OPERATIONS) {
                return false;
            }
            FunctionDef called = functions.get(calledFunction(node));
            if (called != null && depth < MAX_DEPTH
                    && !collect(prefix + node.getName() + "/", called.getNodeDefList(), functions, names, depth + 1)) {
                return false;
            }
        }
        return true;
    }

    private static String calledFunction(NodeDef node) {
        if (CALL_OPS.contains(node.getOp())) {
            AttrValue f = node.getAttrMap().get("f");
            return f != null && f.hasFunc() ? f.getFunc().getName() : null;
        }
        return node.getOp();
    }
}
