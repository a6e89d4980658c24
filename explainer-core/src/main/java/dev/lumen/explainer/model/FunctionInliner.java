package dev.lumen.explainer.model;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Deque;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.tensorflow.proto.AttrValue;
import org.tensorflow.proto.DataType;
import org.tensorflow.proto.FunctionDef;
import org.tensorflow.proto.GraphDef;
import org.tensorflow.proto.NameAttrList;
import org.tensorflow.proto.NodeDef;
import org.tensorflow.proto.OpDef.ArgDef;

/**
 * Inlines function calls ({@code StatefulPartitionedCall}, {@code PartitionedCall}, or a node whose
 * op is a library function) on the path to given root tensors into the top-level graph, recursively,
 * so that every layer becomes a graph operation: gradients can then be added by the C API and
 * intermediate activations fetched, neither of which works inside a function body.
 *
 * <p>Per call: each body node is copied as {@code <call name>/<node name>}; function arguments
 * become the call's inputs (resource handles of {@code VarHandleOp}s included, so reads inside the
 * body read the graph's variables); the call's control inputs gate the body's source nodes through
 * a {@code NoOp}; consumers of {@code call:i} are rewired to the body tensor returned as output
 * {@code i}. The call node itself is replaced by an {@code IdentityN} of the returned tensors under
 * the same name (waiting for the body's control outputs too), so signatures and {@code ^call}
 * control edges that name the call still hold; {@link #aliases()} maps its outputs to the body
 * tensors for everything Lumen resolves by name.
 */
final class FunctionInliner {

    /** Nesting depth beyond which a call chain is taken for recursion. */
    private static final int MAX_DEPTH = 64;
    private static final Set<String> CALL_OPS = Set.of("StatefulPartitionedCall", "PartitionedCall");

    private final Map<String, NodeDef> nodes = new LinkedHashMap<>();
    private final Map<String, FunctionDef> functions = new HashMap<>();
    private final OpSignatures signatures;
    private final Map<TensorRef, TensorRef> aliases = new HashMap<>();
    private int inlinedCalls;

    private FunctionInliner(GraphDef graph) {
        graph.getNodeList().forEach(node -> nodes.put(node.getName(), node));
        graph.getLibrary().getFunctionList().forEach(f -> functions.put(f.getSignature().getName(), f));
        this.signatures = new OpSignatures(functions);
    }

    /** The outcome: the rewritten graph, how many calls were inlined, and the call outputs' new tensors. */
    record Result(GraphDef graph, int inlinedCalls, Map<TensorRef, TensorRef> aliases) {
    }

    /**
     * Inlines every call the {@code roots} depend on (by data or control), however deeply nested.
     * Calls elsewhere (the checkpoint's save and restore functions) stay as they are; the function
     * library is kept whole.
     *
     * @throws ModelLoadException when a call cannot be inlined (unknown function, argument count
     *     mismatch, recursion)
     */
    static Result inline(GraphDef graph, Collection<TensorRef> roots) {
        FunctionInliner inliner = new FunctionInliner(graph);
        for (int depth = 0; ; depth++) {
            List<String> calls = inliner.callsReachableFrom(roots);
            if (calls.isEmpty()) {
                break;
            }
            if (depth == MAX_DEPTH) {
                throw new ModelLoadException("function calls nest deeper than " + MAX_DEPTH + " levels (at '"
                        + calls.get(0) + "'): recursive functions cannot be inlined");
            }
            calls.forEach(inliner::inlineCall);
        }
        GraphDef rewritten = graph.toBuilder().clearNode().addAllNode(inliner.nodes.values()).build();
        return new Result(rewritten, inliner.inlinedCalls, inliner.resolvedAliases());
    }

    /** Whether any node of the graph calls a function. */
    static boolean hasCalls(GraphDef graph) {
        FunctionInliner inliner = new FunctionInliner(graph);
        return inliner.nodes.values().stream().anyMatch(inliner::isCall);
    }

    private boolean isCall(NodeDef node) {
        return CALL_OPS.contains(node.getOp()) || functions.containsKey(node.getOp());
    }

    private List<String> callsReachableFrom(Collection<TensorRef> roots) {
        Deque<String> pending = new ArrayDeque<>();
        roots.forEach(root -> pending.push(root.operation()));
        Set<String> seen = new HashSet<>();
        List<String> calls = new ArrayList<>();
        while (!pending.isEmpty()) {
            String name = pending.pop();
            NodeDef node = nodes.get(name);
            if (node == null || !seen.add(name)) {
                continue;
            }
            if (isCall(node)) {
                calls.add(name);
            }
            node.getInputList().forEach(input -> pending.push(GraphPolicy.nodeName(input)));
        }
        return calls;
    }

    private void inlineCall(String callName) {
        NodeDef call = nodes.get(callName);
        NameAttrList target = CALL_OPS.contains(call.getOp())
                ? call.getAttrOrThrow("f").getFunc()
                : NameAttrList.newBuilder().setName(call.getOp()).putAllAttr(call.getAttrMap()).build();
        FunctionDef function = functions.get(target.getName());
        if (function == null) {
            throw new ModelLoadException("node '" + callName + "' calls function '" + target.getName()
                    + "', which is not in the graph's function library");
        }
        List<String> dataInputs = call.getInputList().stream().filter(i -> !i.startsWith("^")).toList();
        List<String> controlInputs = call.getInputList().stream().filter(i -> i.startsWith("^")).toList();
        List<ArgDef> args = function.getSignature().getInputArgList();
        if (args.size() != dataInputs.size()) {
            throw new ModelLoadException("node '" + callName + "' passes " + dataInputs.size() + " inputs to function '"
                    + target.getName() + "', which takes " + args.size());
        }
        Map<String, String> argInputs = new HashMap<>();
        for (int i = 0; i < args.size(); i++) {
            argInputs.put(args.get(i).getName(), dataInputs.get(i));
        }
        Body body = new Body(uniquePrefix(callName, function), function, argInputs, target);

        String inputGate = null;
        if (!controlInputs.isEmpty()) {
            inputGate = body.prefix + "input_control_node";
            nodes.put(inputGate, NodeDef.newBuilder().setName(inputGate).setOp("NoOp").addAllInput(controlInputs).build());
        }
        for (NodeDef inner : function.getNodeDefList()) {
            NodeDef.Builder copy = inner.toBuilder().setName(body.prefix + inner.getName()).clearInput().clearAttr();
            inner.getInputList().forEach(input -> copy.addInput(body.graphInput(input)));
            inner.getAttrMap().forEach((key, value) -> copy.putAttr(key, body.substitute(value, inner)));
            if (inputGate != null && inner.getInputCount() == 0) {
                copy.addInput("^" + inputGate);
            }
            nodes.put(copy.getName(), copy.build());
        }

        List<String> returned = new ArrayList<>();
        AttrValue.ListValue.Builder types = AttrValue.ListValue.newBuilder();
        for (ArgDef output : function.getSignature().getOutputArgList()) {
            String ret = function.getRetMap().get(output.getName());
            if (ret == null) {
                throw new ModelLoadException("function '" + target.getName() + "' does not return its output '"
                        + output.getName() + "'");
            }
            returned.add(body.graphInput(ret));
            types.addType(outputType(output, target, callName));
        }
        rewireConsumers(callName, returned);
        NodeDef.Builder replacement = NodeDef.newBuilder().setName(callName).setDevice(call.getDevice());
        if (returned.isEmpty()) {
            replacement.setOp("NoOp");
        } else {
            replacement.setOp("IdentityN").addAllInput(returned).putAttr("T", AttrValue.newBuilder().setList(types).build());
        }
        function.getControlRetMap().values().forEach(node -> replacement.addInput("^" + body.prefix + node));
        nodes.put(callName, replacement.build());
        for (int i = 0; i < returned.size(); i++) {
            aliases.put(new TensorRef(callName, i), TensorRef.parse(returned.get(i)));
        }
        inlinedCalls++;
    }

    /** Points every data input {@code call:i} at the tensor the body returns as output {@code i}. */
    private void rewireConsumers(String callName, List<String> returned) {
        for (Map.Entry<String, NodeDef> entry : nodes.entrySet()) {
            NodeDef node = entry.getValue();
            if (node.getInputList().stream().noneMatch(input -> !input.startsWith("^") && GraphPolicy.nodeName(input).equals(callName))) {
                continue;
            }
            NodeDef.Builder rewired = node.toBuilder().clearInput();
            for (String input : node.getInputList()) {
                boolean fromCall = !input.startsWith("^") && GraphPolicy.nodeName(input).equals(callName);
                rewired.addInput(fromCall ? returned.get(TensorRef.parse(input).index()) : input);
            }
            entry.setValue(rewired.build());
        }
    }

    private static DataType outputType(ArgDef output, NameAttrList target, String callName) {
        if (output.getType() != DataType.DT_INVALID) {
            return output.getType();
        }
        AttrValue type = target.getAttrMap().get(output.getTypeAttr());
        if (type == null) {
            throw new ModelLoadException("node '" + callName + "': the type of output '" + output.getName()
                    + "' of function '" + target.getName() + "' is not given");
        }
        return type.getType();
    }

    /** {@code call/}, or {@code call_inlined_N/} when a graph node already uses a name under {@code call/}. */
    private String uniquePrefix(String callName, FunctionDef function) {
        String base = callName;
        for (int n = 1; ; n++) {
            String prefix = base + "/";
            boolean free = !nodes.containsKey(prefix + "input_control_node")
                    && function.getNodeDefList().stream().noneMatch(inner -> nodes.containsKey(prefix + inner.getName()));
            if (free) {
                return prefix;
            }
            base = callName + "_inlined_" + n;
        }
    }

    private Map<TensorRef, TensorRef> resolvedAliases() {
        Map<TensorRef, TensorRef> resolved = new HashMap<>();
        aliases.forEach((call, tensor) -> {
            TensorRef current = tensor;
            for (int hops = 0; aliases.containsKey(current) && hops < aliases.size(); hops++) {
                current = aliases.get(current);
            }
            resolved.put(call, current);
        });
        return resolved;
    }

    /** One call's body being copied: name mapping and attribute substitution. */
    private final class Body {

        final String prefix;
        final FunctionDef function;
        final Map<String, String> argInputs;
        final NameAttrList target;

        Body(String prefix, FunctionDef function, Map<String, String> argInputs, NameAttrList target) {
            this.prefix = prefix;
            this.function = function;
            this.argInputs = argInputs;
            this.target = target;
        }

        /**
         * A body reference in graph terms: {@code arg} is the call's input, {@code node:out:i} is
         * the copied node's flat output, {@code ^node} a control edge to the copy.
         */
        String graphInput(String reference) {
            if (reference.startsWith("^")) {
                String name = reference.substring(1);
                String arg = argInputs.get(name);
                return "^" + (arg != null ? GraphPolicy.nodeName(arg) : prefix + name);
            }
            String[] parts = reference.split(":");
            String arg = argInputs.get(parts[0]);
            if (arg != null) {
                return arg;
            }
            NodeDef producer = function.getNodeDefList().stream()
                    .filter(n -> n.getName().equals(parts[0]))
                    .findFirst()
                    .orElseThrow(() -> new ModelLoadException("function '" + function.getSignature().getName()
                            + "' refers to '" + reference + "', which is neither an argument nor a node of it"));
            int index;
            if (parts.length == 3) {
                index = signatures.outputIndex(resolvedAttrs(producer), parts[1], Integer.parseInt(parts[2]));
            } else if (parts.length == 2) {
                index = signatures.outputIndex(resolvedAttrs(producer), parts[1], 0);
            } else {
                index = 0;
            }
            return prefix + producer.getName() + (index == 0 ? "" : ":" + index);
        }

        private NodeDef resolvedAttrs(NodeDef node) {
            NodeDef.Builder resolved = node.toBuilder().clearAttr();
            node.getAttrMap().forEach((key, value) -> resolved.putAttr(key, substitute(value, node)));
            return resolved.build();
        }

        /** An attribute with a function-attribute placeholder ({@code $T}) replaced by the call's value. */
        AttrValue substitute(AttrValue value, NodeDef node) {
            if (value.getPlaceholder().isEmpty()) {
                return value;
            }
            AttrValue bound = target.getAttrMap().get(value.getPlaceholder());
            if (bound == null) {
                throw new ModelLoadException("node '" + node.getName() + "' of function '"
                        + function.getSignature().getName() + "' uses attribute placeholder '" + value.getPlaceholder()
                        + "', which the call does not bind");
            }
            return bound;
        }
    }
}
