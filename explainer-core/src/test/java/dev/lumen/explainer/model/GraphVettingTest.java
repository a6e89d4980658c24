package dev.lumen.explainer.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.tensorflow.proto.AttrValue;
import org.tensorflow.proto.FunctionDef;
import org.tensorflow.proto.FunctionDefLibrary;
import org.tensorflow.proto.GraphDef;
import org.tensorflow.proto.MetaGraphDef;
import org.tensorflow.proto.NameAttrList;
import org.tensorflow.proto.NodeDef;
import org.tensorflow.proto.OpDef;
import org.tensorflow.proto.SavedModel;

/**
 * The graph checks callers get without loading a model: the worker's policy applied to a
 * saved_model.pb written as a bare protocol buffer (no TensorFlow involved), and the operation names
 * a target layer may resolve to, function bodies included under their call's name.
 */
class GraphVettingTest {

    @TempDir
    Path dir;

    @Test
    void refusesAForbiddenOperationNamingOperationAndNode() throws IOException {
        write(GraphDef.newBuilder().addNode(node("image", "Placeholder")).addNode(node("steal", "ReadFile")).build());
        assertThatThrownBy(() -> GraphVetting.vet(dir))
                .isInstanceOfSatisfying(RefusedOperationException.class, e -> {
                    assertThat(e.operation()).isEqualTo("ReadFile");
                    assertThat(e.node()).isEqualTo("steal");
                    assertThat(e.location()).isEqualTo("the graph");
                })
                .hasMessageContaining("file-system access");
    }

    @Test
    void refusesAForbiddenOperationInsideAFunction() throws IOException {
        FunctionDef body = FunctionDef.newBuilder().setSignature(OpDef.newBuilder().setName("inner"))
                .addNodeDef(node("shell", "PyFunc")).build();
        write(GraphDef.newBuilder().addNode(node("image", "Placeholder"))
                .setLibrary(FunctionDefLibrary.newBuilder().addFunction(body)).build());
        assertThatThrownBy(() -> GraphVetting.vet(dir))
                .isInstanceOfSatisfying(RefusedOperationException.class, e -> {
                    assertThat(e.operation()).isEqualTo("PyFunc");
                    assertThat(e.node()).isEqualTo("shell");
                    assertThat(e.location()).isEqualTo("function 'inner'");
                });
    }

    @Test
    void listsGraphOperationsAndFunctionBodiesUnderTheirCall() throws IOException {
        FunctionDef body = FunctionDef.newBuilder().setSignature(OpDef.newBuilder().setName("model_fn"))
                .addNodeDef(node("conv", "Conv2D")).addNodeDef(node("relu", "Relu")).build();
        NodeDef call = node("StatefulPartitionedCall", "StatefulPartitionedCall").toBuilder()
                .putAttr("f", AttrValue.newBuilder().setFunc(NameAttrList.newBuilder().setName("model_fn")).build())
                .build();
        write(GraphDef.newBuilder().addNode(node("image", "Placeholder")).addNode(call)
                .setLibrary(FunctionDefLibrary.newBuilder().addFunction(body)).build());

        GraphVetting.VettedGraph graph = GraphVetting.vet(dir);

        assertThat(graph.complete()).isTrue();
        assertThat(graph.operations()).containsExactlyInAnyOrder("image", "StatefulPartitionedCall",
                "StatefulPartitionedCall/conv", "StatefulPartitionedCall/relu");
        assertThat(graph.mayHaveLayer("StatefulPartitionedCall/relu:0")).isTrue();
        assertThat(graph.mayHaveLayer("relu")).isFalse();
    }

    @Test
    void refusesAFileThatIsNotASavedModel() throws IOException {
        Files.write(dir.resolve("saved_model.pb"), new byte[] {(byte) 0xff, (byte) 0xff, 0x01});
        assertThatThrownBy(() -> GraphVetting.vet(dir)).isInstanceOf(ModelLoadException.class)
                .isNotInstanceOf(RefusedOperationException.class);
    }

    private static NodeDef node(String name, String op) {
        return NodeDef.newBuilder().setName(name).setOp(op).build();
    }

    private void write(GraphDef graph) throws IOException {
        MetaGraphDef meta = MetaGraphDef.newBuilder()
                .setMetaInfoDef(MetaGraphDef.MetaInfoDef.newBuilder().addTags(SavedModelFile.SERVE_TAG))
                .setGraphDef(graph).build();
        try (OutputStream out = Files.newOutputStream(dir.resolve("saved_model.pb"))) {
            SavedModel.newBuilder().setSavedModelSchemaVersion(1).addMetaGraphs(meta).build().writeTo(out);
        }
    }
}
