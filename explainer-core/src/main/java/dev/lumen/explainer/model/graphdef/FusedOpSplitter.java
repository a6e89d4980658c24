package dev.lumen.explainer.model.graphdef;

import dev.lumen.explainer.model.ModelLoadException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import org.tensorflow.proto.AttrValue;
import org.tensorflow.proto.NodeDef;

/**
 * Splits fused operations (those TensorFlow's graph optimiser and the TF.js converter create) into
 * plain TensorFlow operations:
 * {@code _FusedConv2D}, {@code FusedDepthwiseConv2dNative} and {@code _FusedMatMul} become the
 * base operation, then {@code BiasAdd}, then the fused activation; the TF.js-only {@code Prelu}
 * becomes {@code relu(x) - alpha * relu(-x)}. The last operation of each chain keeps the original
 * node's name, so its consumers stay wired.
 *
 * <p>Why: {@code FusedDepthwiseConv2dNative} and {@code Prelu} exist only in TF.js, so TensorFlow
 * refuses to load them; {@code _FusedConv2D} and {@code _FusedMatMul} load but have no gradient in
 * TensorFlow's C API, which Grad-CAM needs. The TF.js importer and the model loader both use it.
 */
public final class FusedOpSplitter {

    private static final Map<String, String> BASE_OPS = Map.of(
            "_FusedConv2D", "Conv2D",
            "FusedDepthwiseConv2dNative", "DepthwiseConv2dNative",
            "_FusedMatMul", "MatMul");

    /** Attributes each base operation accepts; the fused node carries more (fused_ops, num_args, ...). */
    private static final Map<String, Set<String>> BASE_ATTRS = Map.of(
            "Conv2D", Set.of("T", "strides", "padding", "explicit_paddings", "data_format", "dilations", "use_cudnn_on_gpu"),
            "DepthwiseConv2dNative", Set.of("T", "strides", "padding", "explicit_paddings", "data_format", "dilations"),
            "MatMul", Set.of("T", "transpose_a", "transpose_b"));

    private static final Set<String> PLAIN_ACTIVATIONS = Set.of("Relu", "Relu6", "Elu", "Selu", "Sigmoid", "Tanh");
    private static final float TFJS_DEFAULT_LEAKY_ALPHA = 0.2f;

    private final GraphEditor graph;
    private final Map<String, Integer> split = new TreeMap<>();

    private FusedOpSplitter(GraphEditor graph) {
        this.graph = graph;
    }

    /**
     * Splits every fused node; returns how many of each type were split.
     *
     * @throws ModelLoadException for a fused activation it cannot split, or a fused node whose
     *     inputs contradict its {@code num_args}
     */
    public static Map<String, Integer> split(GraphEditor graph) {
        FusedOpSplitter splitter = new FusedOpSplitter(graph);
        for (NodeDef node : graph.nodes()) {
            if (BASE_OPS.containsKey(node.getOp())) {
                splitter.splitFused(node);
            } else if (node.getOp().equals("Prelu")) {
                splitter.splitPrelu(node);
            }
        }
        return splitter.split;
    }

    private void splitFused(NodeDef fused) {
        String baseOp = BASE_OPS.get(fused.getOp());
        List<String> fusedOps = fusedOps(fused);
        List<String> data = dataInputs(fused);
        int argCount = (int) fused.getAttrOrDefault("num_args", AttrValue.getDefaultInstance()).getI();
        if (data.size() != 2 + argCount) {
            throw new ModelLoadException("node '" + fused.getName() + "' (" + fused.getOp() + ") has "
                    + data.size() + " data inputs but num_args=" + argCount);
        }
        List<NodeDef> chain = new ArrayList<>();
        NodeDef.Builder base = NodeDef.newBuilder().setOp(baseOp).addInput(data.get(0)).addInput(data.get(1));
        fused.getAttrMap().forEach((key, value) -> {
            if (BASE_ATTRS.get(baseOp).contains(key)) {
                base.putAttr(key, value);
            }
        });
        controlInputs(fused).forEach(base::addInput);
        chain.add(named(base, fused, fusedOps.isEmpty(), baseOp));

        int nextArg = 2;
        for (int i = 0; i < fusedOps.size(); i++) {
            String op = fusedOps.get(i);
            boolean last = i == fusedOps.size() - 1;
            String x = chain.get(chain.size() - 1).getName();
            switch (op) {
                case "BiasAdd" -> {
                    NodeDef.Builder bias = NodeDef.newBuilder().setOp("BiasAdd").addInput(x).addInput(data.get(nextArg++))
                            .putAttr("T", fused.getAttrOrThrow("T"));
                    if (fused.containsAttr("data_format")) {
                        bias.putAttr("data_format", fused.getAttrOrThrow("data_format"));
                    }
                    chain.add(named(bias, fused, last, "BiasAdd"));
                }
                case "Prelu" -> chain.addAll(prelu(x, data.get(nextArg++), fused, fused.getName() + "/Prelu", last));
                case "LeakyRelu" -> {
                    AttrValue alpha = fused.containsAttr("leakyrelu_alpha")
                            ? fused.getAttrOrThrow("leakyrelu_alpha")
                            : AttrValue.newBuilder().setF(TFJS_DEFAULT_LEAKY_ALPHA).build();
                    chain.add(named(NodeDef.newBuilder().setOp("LeakyRelu").addInput(x)
                            .putAttr("T", fused.getAttrOrThrow("T")).putAttr("alpha", alpha), fused, last, "LeakyRelu"));
                }
                default -> {
                    if (!PLAIN_ACTIVATIONS.contains(op)) {
                        throw new ModelLoadException("node '" + fused.getName() + "' (" + fused.getOp()
                                + ") fuses '" + op + "', which Lumen cannot split; supported: BiasAdd, Prelu,"
                                + " LeakyRelu, " + String.join(", ", new TreeSet<>(PLAIN_ACTIVATIONS)));
                    }
                    chain.add(named(NodeDef.newBuilder().setOp(op).addInput(x).putAttr("T", fused.getAttrOrThrow("T")),
                            fused, last, op));
                }
            }
        }
        graph.replace(fused.getName(), chain);
        split.merge(fused.getOp(), 1, Integer::sum);
    }

    private void splitPrelu(NodeDef node) {
        List<String> data = dataInputs(node);
        if (data.size() != 2) {
            throw new ModelLoadException("node '" + node.getName() + "' (Prelu) has " + data.size()
                    + " data inputs, expected x and alpha");
        }
        List<NodeDef> chain = prelu(data.get(0), data.get(1), node, node.getName(), true);
        if (!controlInputs(node).isEmpty()) {
            chain.set(0, chain.get(0).toBuilder().addAllInput(controlInputs(node)).build());
        }
        graph.replace(node.getName(), chain);
        split.merge("Prelu", 1, Integer::sum);
    }

    /** {@code relu(x) - alpha * relu(-x)}; the Sub takes the original name when {@code last}. */
    private List<NodeDef> prelu(String x, String alpha, NodeDef origin, String prefix, boolean last) {
        AttrValue type = origin.getAttrOrThrow("T");
        NodeDef positive = fresh(NodeDef.newBuilder().setOp("Relu").addInput(x).putAttr("T", type), prefix + "/positive");
        NodeDef negated = fresh(NodeDef.newBuilder().setOp("Neg").addInput(x).putAttr("T", type), prefix + "/negated");
        NodeDef negative = fresh(NodeDef.newBuilder().setOp("Relu").addInput(negated.getName()).putAttr("T", type),
                prefix + "/negative");
        NodeDef scaled = fresh(NodeDef.newBuilder().setOp("Mul").addInput(alpha).addInput(negative.getName())
                .putAttr("T", type), prefix + "/scaled_negative");
        NodeDef.Builder difference = NodeDef.newBuilder().setOp("Sub").addInput(positive.getName())
                .addInput(scaled.getName()).putAttr("T", type);
        NodeDef result = last ? difference.setName(origin.getName()).build() : fresh(difference, prefix);
        return List.of(positive, negated, negative, scaled, result);
    }

    /** The chain's last node takes the fused node's name; the others get fresh names below it. */
    private NodeDef named(NodeDef.Builder node, NodeDef fused, boolean last, String suffix) {
        return last ? node.setName(fused.getName()).build() : fresh(node, fused.getName() + "/" + suffix);
    }

    /** Names {@code node} with a fresh name and reserves it, so later fresh names differ. */
    private NodeDef fresh(NodeDef.Builder node, String base) {
        NodeDef named = node.setName(graph.freshName(base)).build();
        graph.put(named);
        return named;
    }

    private static List<String> fusedOps(NodeDef node) {
        return node.getAttrOrDefault("fused_ops", AttrValue.getDefaultInstance()).getList().getSList().stream()
                .map(s -> s.toString(StandardCharsets.UTF_8))
                .toList();
    }

    private static List<String> dataInputs(NodeDef node) {
        return node.getInputList().stream().filter(i -> !i.startsWith("^")).toList();
    }

    private static List<String> controlInputs(NodeDef node) {
        return node.getInputList().stream().filter(i -> i.startsWith("^")).toList();
    }
}
