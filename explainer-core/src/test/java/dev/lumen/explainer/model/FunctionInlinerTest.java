package dev.lumen.explainer.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.lumen.explainer.SquaresModel;
import dev.lumen.fixtures.KerasStyleSquares;
import java.io.IOException;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.tensorflow.Graph;
import org.tensorflow.Result;
import org.tensorflow.Session;
import org.tensorflow.proto.AttrValue;
import org.tensorflow.proto.DataType;
import org.tensorflow.proto.FunctionDef;
import org.tensorflow.proto.FunctionDefLibrary;
import org.tensorflow.proto.GraphDef;
import org.tensorflow.proto.NameAttrList;
import org.tensorflow.proto.NodeDef;
import org.tensorflow.proto.OpDef;
import org.tensorflow.proto.OpDef.ArgDef;
import org.tensorflow.proto.TensorProto;
import org.tensorflow.proto.TensorShapeProto;
import org.tensorflow.types.TFloat32;

class FunctionInlinerTest {

    private static final AttrValue FLOAT = AttrValue.newBuilder().setType(DataType.DT_FLOAT).build();

    @Test
    void theKerasStyleExportBecomesPlainOperationsOnTheInferencePath() throws IOException {
        SavedModelFile file = SavedModelFile.read(KerasStyleSquares.build(SquaresModel.dir()));
        TensorRef logits = file.resolveOutputs("serving_default", Map.of("logits", "logits")).get("logits");
        FunctionInliner.Result result = FunctionInliner.inline(file.meta().getGraphDef(), List.of(logits));

        assertThat(result.inlinedCalls()).isEqualTo(2);
        TensorRef body = result.aliases().get(logits);
        Map<String, NodeDef> nodes = result.graph().getNodeList().stream()
                .collect(Collectors.toMap(NodeDef::getName, Function.identity()));
        Set<String> pathOps = dataUpstreamOps(nodes, body.operation());
        assertThat(pathOps).contains("Conv2D", "BiasAdd", "Relu", "MatMul", "ReadVariableOp", "VarHandleOp")
                .doesNotContain("StatefulPartitionedCall", "PartitionedCall", "IdentityN");
        // The restore call is not on the inference path and stays a call; the serving call keeps its name.
        assertThat(nodes.get("StatefulPartitionedCall_1").getOp()).isEqualTo("StatefulPartitionedCall");
        assertThat(nodes.get("StatefulPartitionedCall").getOp()).isEqualTo("IdentityN");
        assertThat(nodes).containsKey("StatefulPartitionedCall/StatefulPartitionedCall/relu4");
    }

    @Test
    void inlinedGraphComputesWhatTheCallsComputed() {
        GraphDef graph = callingGraph();
        FunctionInliner.Result result = FunctionInliner.inline(graph, List.of(TensorRef.parse("sum"),
                TensorRef.parse("nested"), TensorRef.parse("after")));

        assertThat(result.inlinedCalls()).isEqualTo(3);
        assertThat(result.graph().getNodeList()).extracting(NodeDef::getOp)
                .doesNotContain("PartitionedCall", "pair", "outer");
        // (3 * 2) + 3 and the nested pair's doubled value.
        assertThat(run(graph, "sum")).isEqualTo(9f);
        assertThat(run(result.graph(), "sum")).isEqualTo(9f);
        assertThat(run(graph, "nested")).isEqualTo(6f);
        assertThat(run(result.graph(), "nested")).isEqualTo(6f);
        // A consumer of call:1 now reads the function's argument, passed straight through.
        NodeDef sum = result.graph().getNodeList().stream().filter(n -> n.getName().equals("sum")).findFirst().orElseThrow();
        assertThat(sum.getInputList()).containsExactly("call/split:1", "in");
        assertThat(result.aliases()).containsEntry(new TensorRef("call", 0), new TensorRef("call/split", 1));
        // The call's control input gates the body's source nodes.
        NodeDef two = result.graph().getNodeList().stream().filter(n -> n.getName().equals("call/two")).findFirst()
                .orElseThrow();
        assertThat(two.getInputList()).containsExactly("^call/input_control_node");
    }

    @Test
    void recursiveFunctionsAreRefused() {
        FunctionDef loop = FunctionDef.newBuilder()
                .setSignature(OpDef.newBuilder().setName("loop").addInputArg(arg("x")).addOutputArg(arg("y")))
                .addNodeDef(NodeDef.newBuilder().setName("again").setOp("loop").addInput("x"))
                .putRet("y", "again:y:0")
                .build();
        GraphDef graph = GraphDef.newBuilder()
                .addNode(placeholder("in"))
                .addNode(NodeDef.newBuilder().setName("call").setOp("loop").addInput("in"))
                .setLibrary(FunctionDefLibrary.newBuilder().addFunction(loop))
                .build();
        assertThatThrownBy(() -> FunctionInliner.inline(graph, List.of(TensorRef.parse("call"))))
                .isInstanceOf(ModelLoadException.class)
                .hasMessageContaining("recursive functions cannot be inlined");
    }

    /**
     * {@code in} (3) -> PartitionedCall(pair, ^gate) -> sum = call:0 + call:1, where
     * pair(x) = (IdentityN(x, 2x)[1], x) with its type bound through an attribute placeholder;
     * {@code nested} calls outer(x) = pair(x).a by function name; {@code after} waits on the call.
     */
    private static GraphDef callingGraph() {
        FunctionDef pair = FunctionDef.newBuilder()
                .setSignature(OpDef.newBuilder().setName("pair")
                        .addInputArg(ArgDef.newBuilder().setName("x").setTypeAttr("T"))
                        .addOutputArg(ArgDef.newBuilder().setName("a").setTypeAttr("T"))
                        .addOutputArg(ArgDef.newBuilder().setName("b").setTypeAttr("T"))
                        .addAttr(OpDef.AttrDef.newBuilder().setName("T").setType("type")))
                .addNodeDef(NodeDef.newBuilder().setName("two").setOp("Const").putAttr("dtype", FLOAT)
                        .putAttr("value", AttrValue.newBuilder().setTensor(TensorProto.newBuilder()
                                .setDtype(DataType.DT_FLOAT).setTensorShape(TensorShapeProto.getDefaultInstance())
                                .addFloatVal(2f)).build()))
                .addNodeDef(NodeDef.newBuilder().setName("double").setOp("Mul").addInput("x").addInput("two:output:0")
                        .putAttr("T", AttrValue.newBuilder().setPlaceholder("T").build()))
                .addNodeDef(NodeDef.newBuilder().setName("split").setOp("IdentityN").addInput("x").addInput("double:z:0")
                        .putAttr("T", AttrValue.newBuilder().setList(AttrValue.ListValue.newBuilder()
                                .addType(DataType.DT_FLOAT).addType(DataType.DT_FLOAT)).build()))
                .putRet("a", "split:output:1")
                .putRet("b", "x")
                .build();
        FunctionDef outer = FunctionDef.newBuilder()
                .setSignature(OpDef.newBuilder().setName("outer").addInputArg(arg("x")).addOutputArg(arg("y")))
                .addNodeDef(NodeDef.newBuilder().setName("p").setOp("pair").addInput("x").putAttr("T", FLOAT))
                .putRet("y", "p:a:0")
                .build();
        AttrValue types = AttrValue.newBuilder().setList(AttrValue.ListValue.newBuilder().addType(DataType.DT_FLOAT)).build();
        AttrValue twoTypes = AttrValue.newBuilder().setList(AttrValue.ListValue.newBuilder()
                .addType(DataType.DT_FLOAT).addType(DataType.DT_FLOAT)).build();
        return GraphDef.newBuilder()
                .addNode(NodeDef.newBuilder().setName("in").setOp("Const").putAttr("dtype", FLOAT)
                        .putAttr("value", AttrValue.newBuilder().setTensor(TensorProto.newBuilder()
                                .setDtype(DataType.DT_FLOAT).setTensorShape(TensorShapeProto.getDefaultInstance())
                                .addFloatVal(3f)).build()))
                .addNode(NodeDef.newBuilder().setName("gate").setOp("NoOp"))
                .addNode(NodeDef.newBuilder().setName("call").setOp("PartitionedCall").addInput("in").addInput("^gate")
                        .putAttr("Tin", types).putAttr("Tout", twoTypes)
                        .putAttr("f", AttrValue.newBuilder().setFunc(NameAttrList.newBuilder().setName("pair")
                                .putAttr("T", FLOAT)).build()))
                .addNode(NodeDef.newBuilder().setName("sum").setOp("AddV2").addInput("call").addInput("call:1")
                        .putAttr("T", FLOAT))
                .addNode(NodeDef.newBuilder().setName("nested").setOp("outer").addInput("in"))
                .addNode(NodeDef.newBuilder().setName("after").setOp("NoOp").addInput("^call"))
                .setLibrary(FunctionDefLibrary.newBuilder().addFunction(pair).addFunction(outer))
                .build();
    }

    private static float run(GraphDef graphDef, String tensor) {
        try (Graph graph = new Graph(); Session session = new Session(graph)) {
            graph.importGraphDef(graphDef);
            try (Result result = session.runner().fetch(tensor).addTarget("after").run()) {
                return ((TFloat32) result.get(0)).getFloat();
            }
        }
    }

    /** Operation types the tensor depends on by data edges: what gradients traverse. */
    private static Set<String> dataUpstreamOps(Map<String, NodeDef> nodes, String from) {
        Set<String> seen = new HashSet<>();
        Set<String> ops = new HashSet<>();
        Deque<String> pending = new ArrayDeque<>(List.of(from));
        while (!pending.isEmpty()) {
            NodeDef node = nodes.get(GraphPolicy.nodeName(pending.pop()));
            if (node != null && seen.add(node.getName())) {
                ops.add(node.getOp());
                node.getInputList().stream().filter(input -> !input.startsWith("^")).forEach(pending::add);
            }
        }
        return ops;
    }

    private static ArgDef arg(String name) {
        return ArgDef.newBuilder().setName(name).setType(DataType.DT_FLOAT).build();
    }

    private static NodeDef placeholder(String name) {
        return NodeDef.newBuilder().setName(name).setOp("Placeholder").putAttr("dtype", FLOAT).build();
    }
}
