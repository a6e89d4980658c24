package dev.lumen.explainer.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.protobuf.ByteString;
import dev.lumen.explainer.SquaresModel;
import dev.lumen.fixtures.SquaresFixture;
import dev.lumen.explainer.model.graphdef.GraphEditor;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.tensorflow.Graph;
import org.tensorflow.Output;
import org.tensorflow.proto.AttrValue;
import org.tensorflow.proto.DataType;
import org.tensorflow.proto.GraphDef;
import org.tensorflow.proto.NodeDef;
import org.tensorflow.proto.SavedModel;

/**
 * Fused operations that TensorFlow runs but cannot differentiate are split at load time: the
 * squares network with its last convolution and its dense layer fused (as TensorFlow's optimiser
 * writes them into frozen graphs) explains exactly like the plain one.
 */
class FusedOpsTest {

    @TempDir
    Path dir;

    @Test
    void fusedOperationsOnTheGradientPathAreSplitAndExplainLikeThePlainGraph() throws IOException {
        Path fused = writeFusedModel();
        try (Graph graph = new Graph()) {
            graph.importGraphDef(readGraph(fused));
            Output<?> logits = graph.operation("logits").output(0);
            Output<?> layer = graph.operation("relu4").output(0);
            assertThatThrownBy(() -> graph.addGradients(logits, new Output<?>[] {layer}))
                    .hasMessageContaining("No gradient defined for op: _FusedMatMul");
        }

        LoadedModel plain = SquaresModel.model();
        try (LoadedModel split = LoadedModel.load(fused)) {
            TargetLayer layer = split.targetLayer(null);
            assertThat(layer.name()).isEqualTo("relu4");
            double worst = 0;
            for (SquaresFixture.LabelledImage image : SquaresModel.heldOut().subList(0, 6)) {
                ModelInput input = plain.preprocessor().prepare(ImageIO.read(image.file().toFile()));
                float[] expected = gradient(plain, plain.targetLayer(null), input);
                float[] actual = gradient(split, layer, input);
                for (int i = 0; i < expected.length; i++) {
                    worst = Math.max(worst, Math.abs(expected[i] - actual[i]));
                }
            }
            System.out.printf("fused squares model: max |gradient difference| to the plain graph %.3g%n", worst);
            assertThat(worst).isLessThanOrEqualTo(1e-4);
        }
    }

    private static float[] gradient(LoadedModel model, TargetLayer layer, ModelInput input) {
        ForwardResult forward = model.forward(List.of(input), layer);
        float[] seed = new float[forward.outputs().get(ModelDescriptor.LOGITS).sampleSize()];
        seed[0] = 1;
        return model.layerGradients(input, layer, forward, List.of(seed)).sample(0);
    }

    /** The fixture model with conv4+bias4+relu4 as one _FusedConv2D and dense+logits as one _FusedMatMul. */
    private Path writeFusedModel() throws IOException {
        Path source = SquaresFixture.modelDir(SquaresModel.dir());
        SavedModel savedModel;
        try (InputStream in = Files.newInputStream(source.resolve("saved_model.pb"))) {
            savedModel = SavedModel.parseFrom(in);
        }
        GraphEditor graph = new GraphEditor(savedModel.getMetaGraphs(0).getGraphDef());
        NodeDef conv = graph.node("conv4");
        NodeDef.Builder fusedConv = NodeDef.newBuilder().setName("relu4").setOp("_FusedConv2D")
                .addInput(conv.getInput(0)).addInput(conv.getInput(1)).addInput(graph.node("bias4").getInput(1));
        conv.getAttrMap().forEach(fusedConv::putAttr);
        fusedConv.putAttr("TArgs", AttrValue.newBuilder().setList(AttrValue.ListValue.newBuilder().addType(DataType.DT_FLOAT))
                .build());
        graph.replace("relu4", List.of(fused(fusedConv, "BiasAdd", "Relu")));
        NodeDef matMul = graph.node("dense");
        NodeDef.Builder fusedMatMul = NodeDef.newBuilder().setName("logits").setOp("_FusedMatMul")
                .addInput(matMul.getInput(0)).addInput(matMul.getInput(1)).addInput(graph.node("logits").getInput(1));
        for (String attr : List.of("T", "transpose_a", "transpose_b")) {
            fusedMatMul.putAttr(attr, matMul.getAttrOrThrow(attr));
        }
        graph.replace("logits", List.of(fused(fusedMatMul, "BiasAdd")));
        for (String replaced : List.of("conv4", "bias4", "dense")) {
            graph.replace(replaced, List.of());
        }

        Path target = dir.resolve("fused");
        Files.createDirectories(target.resolve("variables"));
        SavedModel rewritten = savedModel.toBuilder()
                .setMetaGraphs(0, savedModel.getMetaGraphs(0).toBuilder().setGraphDef(graph.toGraphDef()))
                .build();
        try (OutputStream out = Files.newOutputStream(target.resolve("saved_model.pb"))) {
            rewritten.writeTo(out);
        }
        Files.copy(source.resolve(ModelDescriptor.FILE_NAME), target.resolve(ModelDescriptor.FILE_NAME));
        return target;
    }

    private static NodeDef fused(NodeDef.Builder node, String... ops) {
        AttrValue.ListValue.Builder names = AttrValue.ListValue.newBuilder();
        for (String op : ops) {
            names.addS(ByteString.copyFromUtf8(op));
        }
        return node.putAttr("fused_ops", AttrValue.newBuilder().setList(names).build())
                .putAttr("num_args", AttrValue.newBuilder().setI(1).build())
                .build();
    }

    private static GraphDef readGraph(Path modelDir) throws IOException {
        try (InputStream in = Files.newInputStream(modelDir.resolve("saved_model.pb"))) {
            return SavedModel.parseFrom(in).getMetaGraphs(0).getGraphDef();
        }
    }
}
