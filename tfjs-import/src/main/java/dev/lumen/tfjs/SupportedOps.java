package dev.lumen.tfjs;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Collectors;
import org.tensorflow.proto.FunctionDef;
import org.tensorflow.proto.GraphDef;
import org.tensorflow.proto.NodeDef;

/**
 * The operation types TensorFlow 2.16.1 registers, read from {@code tensorflow-ops.txt}, so an
 * import fails with the names of the operations it cannot map instead of leaving TensorFlow to
 * fail at load time with "Op type not registered". Checking needs no TensorFlow runtime.
 */
final class SupportedOps {

    static final String RESOURCE = "tensorflow-ops.txt";
    private static final int EXAMPLE_NODES = 3;

    private static final Set<String> REGISTERED = load();

    private SupportedOps() {
    }

    /** The registered operation types. */
    static Set<String> registered() {
        return REGISTERED;
    }

    /**
     * Checks every node of the graph and of its function library.
     *
     * @throws UnsupportedModelException naming each unknown operation type and some of its nodes
     */
    static void check(GraphDef graph, String source) {
        Set<String> functions = graph.getLibrary().getFunctionList().stream()
                .map(f -> f.getSignature().getName()).collect(Collectors.toSet());
        Map<String, List<String>> unknown = new TreeMap<>();
        for (NodeDef node : graph.getNodeList()) {
            note(node, functions, unknown, "");
        }
        for (FunctionDef function : graph.getLibrary().getFunctionList()) {
            for (NodeDef node : function.getNodeDefList()) {
                note(node, functions, unknown, function.getSignature().getName() + "/");
            }
        }
        if (!unknown.isEmpty()) {
            String list = unknown.entrySet().stream()
                    .map(e -> e.getKey() + " (" + e.getValue().size() + " node" + (e.getValue().size() == 1 ? "" : "s") + ", e.g. '"
                            + String.join("', '", e.getValue().subList(0, Math.min(EXAMPLE_NODES, e.getValue().size()))) + "')")
                    .collect(Collectors.joining("; "));
            throw new UnsupportedModelException(source + ": operations unknown to TensorFlow 2.16.1 and not"
                    + " convertible by the importer: " + list);
        }
    }

    private static void note(NodeDef node, Set<String> functions, Map<String, List<String>> unknown, String scope) {
        if (!REGISTERED.contains(node.getOp()) && !functions.contains(node.getOp())) {
            unknown.computeIfAbsent(node.getOp(), k -> new ArrayList<>()).add(scope + node.getName());
        }
    }

    private static Set<String> load() {
        try (InputStream in = SupportedOps.class.getResourceAsStream(RESOURCE)) {
            if (in == null) {
                throw new IllegalStateException("resource " + RESOURCE + " is missing from the classpath");
            }
            try (BufferedReader reader = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8))) {
                return reader.lines().map(String::strip)
                        .filter(line -> !line.isEmpty() && !line.startsWith("#"))
                        .collect(Collectors.toUnmodifiableSet());
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + RESOURCE, e);
        }
    }
}
