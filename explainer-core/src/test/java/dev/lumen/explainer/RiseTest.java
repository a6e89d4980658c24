package dev.lumen.explainer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.lumen.fixtures.SquaresFixture;
import dev.lumen.fixtures.SquaresFixture.LabelledImage;
import dev.lumen.explainer.metric.PointingGame;
import dev.lumen.explainer.model.LoadedModel;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.tensorflow.proto.AttrValue;
import org.tensorflow.proto.DataType;
import org.tensorflow.proto.GraphDef;
import org.tensorflow.proto.MetaGraphDef;
import org.tensorflow.proto.NodeDef;
import org.tensorflow.proto.SavedModel;
import org.tensorflow.proto.TensorProto;
import org.tensorflow.proto.TensorShapeProto;

/**
 * RISE, the black-box method for label-scoring models, on the squares fixture: asked for, it must
 * find the deciding square; as the automatic fallback, it must say that it replaced Grad-CAM.
 */
class RiseTest {

    /** Enough masks for a 96x96 image; early stopping usually ends sooner. */
    private static final Map<String, Object> SAMPLING = Map.of("masks", 1000, "grid", 8, "metrics", false);

    @TempDir
    Path dir;

    @Test
    void riseMapsPeakOnTheDecidingSquare() throws Exception {
        Explainer explainer = new Explainer(SquaresModel.model());
        List<LabelledImage> images = SquaresModel.heldOut();
        int hits = 0;
        long masks = 0;
        long start = System.nanoTime();
        for (LabelledImage image : images) {
            BufferedImage picture = GroundTruthTest.read(image);
            ExplainResult result = explainer.explain(picture, new ExplainOptions("rise", 11L, with("class", image.label())));
            assertThat(result.targetLayer()).isNull();
            assertThat(result.notes()).anyMatch(n -> n.startsWith("rise: "));
            assertThat(result.masksUsed()).isPositive().isLessThanOrEqualTo(result.forwardPasses() - 1);
            assertThat(result.forwardBatch()).isPositive();
            masks += result.forwardPasses() - 1;
            TargetExplanation explanation = result.explanations().get(0);
            assertThat(explanation.target().index()).isEqualTo(image.index());
            if (PointingGame.hit(explanation.saliency(), image.box(), picture.getWidth(), picture.getHeight(), 0)) {
                hits++;
            }
        }
        double share = hits / (double) images.size();
        System.out.printf("pointing game rise (squares fixture): %d/%d = %.1f%%, %.0f masks per image, %.1f s%n", hits,
                images.size(), 100 * share, masks / (double) images.size(), (System.nanoTime() - start) / 1e9);
        assertThat(share).isGreaterThanOrEqualTo(0.9);
    }

    @Test
    void whenGradientsCannotBeHadGradCamFallsBackToRiseAndSaysWhy() throws Exception {
        // The squares model with an op between pooling and the dense layer that TensorFlow's C++
        // gradient registry does not know: the forward pass is unchanged, the gradient cannot be built.
        Path model = withOpBeforeDense(SquaresFixture.modelDir(SquaresModel.dir()), "Snapshot");
        try (LoadedModel loaded = LoadedModel.load(model)) {
            Explainer explainer = new Explainer(loaded);
            List<LabelledImage> images = SquaresModel.heldOut().subList(0, 6);
            int hits = 0;
            for (LabelledImage image : images) {
                BufferedImage picture = GroundTruthTest.read(image);
                // A gradient method takes only its own parameters: its fallback samples with RISE's defaults.
                ExplainResult result = explainer.explain(picture, new ExplainOptions("gradcam", 3L, Map.of("metrics", false)));
                assertThat(result.targetLayer()).isNull();
                assertThat(result.notes()).first().asString()
                        .startsWith("gradcam unavailable (")
                        .contains("Snapshot")
                        .endsWith("explained with rise");
                assertThat(result.notes()).anyMatch(n -> n.startsWith("rise: "));
                assertThat(result.explanations()).hasSize(1);
                hits += PointingGame.hit(result.explanations().get(0).saliency(), image.box(), picture.getWidth(),
                        picture.getHeight(), 0) ? 1 : 0;
            }
            System.out.printf("pointing game rise as the gradcam fallback: %d/%d%n", hits, images.size());
            assertThat(hits).isGreaterThanOrEqualTo(images.size() - 1);
        }
    }

    @Test
    void aModelWithoutSpatialActivationIsExplainedWithRiseAndTheFallbackIsReported() throws Exception {
        // Global pooling straight after the input: no 4-D activation to explain at.
        Path model = withOpBeforeDense(SquaresFixture.modelDir(SquaresModel.dir()), null);
        try (LoadedModel loaded = LoadedModel.load(model)) {
            ExplainResult result = new Explainer(loaded).explain(GroundTruthTest.read(SquaresModel.heldOut().get(0)),
                    new ExplainOptions("hirescam", 3L, Map.of("class", 0, "metrics", false)));
            assertThat(result.targetLayer()).isNull();
            assertThat(result.notes()).first().asString()
                    .startsWith("hirescam unavailable (no 4-D spatial activation")
                    .endsWith("explained with rise");
            assertThat(result.explanations()).hasSize(1);
            assertThat(result.explanations().get(0).saliency().max()).isEqualTo(1f);
        }
    }

    @Test
    void aTargetLayerThatDoesNotExistIsAnErrorNotAFallback() throws Exception {
        Explainer explainer = new Explainer(SquaresModel.model());
        BufferedImage picture = GroundTruthTest.read(SquaresModel.heldOut().get(0));
        // A layer the user named is a deliberate choice: replacing it silently would hide a typo.
        assertThatThrownBy(() -> explainer.explain(picture,
                new ExplainOptions("gradcam", null, Map.of("targetLayer", "relu9"))))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("target layer 'relu9' is not an operation of the graph");
    }

    private static Map<String, Object> with(String key, Object value) {
        Map<String, Object> parameters = new java.util.HashMap<>(SAMPLING);
        parameters.put(key, value);
        return parameters;
    }

    /**
     * A copy of the squares model whose dense layer reads {@code op(pool)} ({@code op} being an
     * identity in value), or, with {@code op} null, a copy whose pooling reads the image itself, so that the
     * graph keeps no spatial activation on the way to the output (the dense layer then sees the
     * mean colour, of which it understands nothing, but runs).
     */
    private Path withOpBeforeDense(Path modelDir, String op) throws IOException {
        Path copy = dir.resolve(op == null ? "no-spatial" : op);
        Files.createDirectories(copy.resolve("variables"));
        Files.copy(modelDir.resolve("lumen-model.json"), copy.resolve("lumen-model.json"));
        SavedModel saved;
        try (InputStream in = Files.newInputStream(modelDir.resolve("saved_model.pb"))) {
            saved = SavedModel.parseFrom(in);
        }
        MetaGraphDef meta = saved.getMetaGraphs(0);
        GraphDef.Builder graph = meta.getGraphDef().toBuilder();
        if (op == null) {
            NodeDef.Builder pool = nodeNamed(graph, "pool");
            pool.setInput(0, "image");
            // The dense layer expects 32 features; the mean colour has 3: tile it to 33 and cut 32.
            graph.addNode(constant("tile_multiples", DataType.DT_INT32, 1, 11));
            graph.addNode(NodeDef.newBuilder().setName("tiled").setOp("Tile").addInput("pool").addInput("tile_multiples")
                    .putAttr("T", type(DataType.DT_FLOAT)).putAttr("Tmultiples", type(DataType.DT_INT32)));
            graph.addNode(constant("slice_begin", DataType.DT_INT32, 0, 0));
            graph.addNode(constant("slice_size", DataType.DT_INT32, -1, 32));
            graph.addNode(NodeDef.newBuilder().setName("features").setOp("Slice").addInput("tiled")
                    .addInput("slice_begin").addInput("slice_size")
                    .putAttr("T", type(DataType.DT_FLOAT)).putAttr("Index", type(DataType.DT_INT32)));
            nodeNamed(graph, "dense").setInput(0, "features");
        } else {
            graph.addNode(NodeDef.newBuilder().setName("copied").setOp(op).addInput("pool")
                    .putAttr("T", type(DataType.DT_FLOAT)));
            nodeNamed(graph, "dense").setInput(0, "copied");
        }
        SavedModel changed = saved.toBuilder().setMetaGraphs(0, meta.toBuilder().setGraphDef(graph)).build();
        try (OutputStream out = Files.newOutputStream(copy.resolve("saved_model.pb"))) {
            changed.writeTo(out);
        }
        return copy;
    }

    private static NodeDef.Builder nodeNamed(GraphDef.Builder graph, String name) {
        for (int i = 0; i < graph.getNodeCount(); i++) {
            if (graph.getNode(i).getName().equals(name)) {
                return graph.getNodeBuilder(i);
            }
        }
        throw new IllegalStateException("the squares graph has no node " + name);
    }

    private static NodeDef constant(String name, DataType dtype, float value) {
        TensorProto tensor = TensorProto.newBuilder().setDtype(dtype).setTensorShape(TensorShapeProto.getDefaultInstance())
                .addFloatVal(value).build();
        return NodeDef.newBuilder().setName(name).setOp("Const").putAttr("dtype", type(dtype))
                .putAttr("value", AttrValue.newBuilder().setTensor(tensor).build()).build();
    }

    private static NodeDef constant(String name, DataType dtype, int first, int second) {
        TensorProto tensor = TensorProto.newBuilder().setDtype(dtype)
                .setTensorShape(TensorShapeProto.newBuilder().addDim(TensorShapeProto.Dim.newBuilder().setSize(2)))
                .addIntVal(first).addIntVal(second).build();
        return NodeDef.newBuilder().setName(name).setOp("Const").putAttr("dtype", type(dtype))
                .putAttr("value", AttrValue.newBuilder().setTensor(tensor).build()).build();
    }

    private static AttrValue type(DataType dtype) {
        return AttrValue.newBuilder().setType(dtype).build();
    }
}
