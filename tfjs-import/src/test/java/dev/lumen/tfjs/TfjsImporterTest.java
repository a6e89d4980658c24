package dev.lumen.tfjs;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.lumen.explainer.model.FloatTensor;
import dev.lumen.explainer.model.ModelDescriptor;
import dev.lumen.explainer.model.ModelDescriptor.Layout;
import dev.lumen.catalogue.Task;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.tensorflow.proto.DataType;
import org.tensorflow.proto.GraphDef;
import org.tensorflow.proto.NodeDef;
import org.tensorflow.proto.SavedModel;
import org.tensorflow.proto.TensorProto;

/** The importer on small TF.js graph models whose every value is known. */
class TfjsImporterTest {

    private static final long[] IMAGE = {1, 2, 2, 1};

    @TempDir
    Path dir;

    /**
     * input [1,2,2,1] -> _FusedConv2D(1x1 filter 2.0 stored uint8, bias 1.0 stored float16, BiasAdd+Relu6)
     * -> Reshape to [1,4] with an int64 shape constant: relu6(2x + 1) per pixel.
     */
    static SyntheticModel fusedConvolution() {
        SyntheticModel model = new SyntheticModel()
                .placeholder("input", IMAGE)
                .uint8Const("conv/filter", new long[] {1, 1, 1, 1}, 0.5, -1.0, 6)
                .float16Const("conv/bias", new long[] {1}, 0x3C00)
                .intConst("flat/shape", "DT_INT64", new long[] {2}, 1, 4)
                .signature("input:0", IMAGE, "flat:0", new long[] {1, 4});
        ObjectNode conv = model.node("conv", "_FusedConv2D", "input", "conv/filter", "conv/bias");
        conv.put("device", "/device:CPU:0");
        ObjectNode attr = (ObjectNode) conv.get("attr");
        attr.putObject("T").put("type", "DT_FLOAT");
        ints(attr.putObject("strides"), 1, 1, 1, 1);
        ints(attr.putObject("dilations"), 1, 1, 1, 1);
        attr.putObject("padding").put("s", SyntheticModel.base64("VALID"));
        attr.putObject("data_format").put("s", SyntheticModel.base64("NHWC"));
        attr.putObject("fused_ops").putObject("list").putArray("s")
                .add(SyntheticModel.base64("BiasAdd")).add(SyntheticModel.base64("Relu6"));
        attr.putObject("num_args").put("i", "1");
        attr.putObject("epsilon").put("f", 0.0);
        attr.putObject("explicit_paddings").putObject("list");
        ObjectNode flat = (ObjectNode) model.node("flat", "Reshape", "conv", "flat/shape").get("attr");
        flat.putObject("T").put("type", "DT_FLOAT");
        flat.putObject("Tshape").put("type", "DT_INT64");
        return model;
    }

    @Test
    void splitsFusedConvolutionKeepingTheNameOnTheActivation() throws Exception {
        ImportReport report = TfjsImporter.importModel(fusedConvolution().write(dir.resolve("tfjs")), dir.resolve("out"),
                ImportOptions.defaults());

        Map<String, NodeDef> nodes = nodes(dir.resolve("out"));
        assertThat(nodes.get("conv/Conv2D").getOp()).isEqualTo("Conv2D");
        assertThat(nodes.get("conv/Conv2D").getInputList()).containsExactly("input", "conv/filter");
        assertThat(nodes.get("conv/Conv2D").getAttrMap()).containsKeys("strides", "padding", "data_format", "dilations")
                .doesNotContainKeys("fused_ops", "num_args", "epsilon");
        assertThat(nodes.get("conv/BiasAdd").getOp()).isEqualTo("BiasAdd");
        assertThat(nodes.get("conv/BiasAdd").getInputList()).containsExactly("conv/Conv2D", "conv/bias");
        assertThat(nodes.get("conv").getOp()).isEqualTo("Relu6");
        assertThat(nodes.get("conv").getInputList()).containsExactly("conv/BiasAdd");
        assertThat(nodes.get("flat").getInputList()).containsExactly("conv", "flat/shape");
        assertThat(report.unfusedOps()).containsExactly(Map.entry("_FusedConv2D", 1));
    }

    @Test
    void dequantizesWeightsWidensInt64ConstantsAndClearsDevices() throws Exception {
        ImportReport report = TfjsImporter.importModel(fusedConvolution().write(dir.resolve("tfjs")), dir.resolve("out"),
                ImportOptions.defaults());

        Map<String, NodeDef> nodes = nodes(dir.resolve("out"));
        assertThat(floats(value(nodes.get("conv/filter")))).containsExactly(2.0f);
        assertThat(floats(value(nodes.get("conv/bias")))).containsExactly(1.0f);
        TensorProto shape = value(nodes.get("flat/shape"));
        assertThat(shape.getDtype()).isEqualTo(DataType.DT_INT64);
        assertThat(Tensors.integers(shape)).containsExactly(1, 4);
        assertThat(nodes.values()).allSatisfy(node -> assertThat(node.getDevice()).isEmpty());
        assertThat(report.dequantizedWeights()).isEqualTo(2);
        assertThat(report.widenedInt64Constants()).isEqualTo(1);
        assertThat(report.clearedDevicePlacements()).isEqualTo(1);
    }

    @Test
    void importedModelComputesTheFusedResultInTensorFlow() throws Exception {
        TfjsImporter.importModel(fusedConvolution().write(dir.resolve("tfjs")), dir.resolve("out"), ImportOptions.defaults());

        try (SavedModelRunner runner = new SavedModelRunner(dir.resolve("out"))) {
            FloatTensor out = runner.run(new FloatTensor(IMAGE, new float[] {-1, 0.5f, 2, 3})).get("flat");
            assertThat(out.shape()).containsExactly(1, 4);
            assertThat(out.data()).containsExactly(0, 2, 5, 6);
        }
    }

    @Test
    void dynamicBatchRunsSeveralImagesThroughTheBakedReshape() throws Exception {
        ImportReport report = TfjsImporter.importModel(fusedConvolution().write(dir.resolve("tfjs")), dir.resolve("out"),
                ImportOptions.defaults().withDynamicBatch(true));

        assertThat(report.dynamicBatch()).containsExactly("Placeholder input", "Reshape flat");
        assertThat(report.dynamicBatchCheck()).startsWith("verified: batch-1 outputs equal the exported graph's");
        assertThat(report.warnings()).noneMatch(w -> w.startsWith("batch:"));
        try (SavedModelRunner runner = new SavedModelRunner(dir.resolve("out"))) {
            FloatTensor out = runner.run(new FloatTensor(new long[] {2, 2, 2, 1}, new float[] {-1, 0.5f, 2, 3, 0, 1, 1.5f, -2}))
                    .get("flat");
            assertThat(out.shape()).containsExactly(2, 4);
            assertThat(out.data()).containsExactly(0, 2, 5, 6, 1, 3, 4, 0);
        }
    }

    /**
     * CenterNet's BatchGather in small: the image is flattened into rows with the batch folded into
     * the first axis ({@code [4, 1]}), then reshaped back to {@code [1, 4]}. That 1 is not the batch,
     * and the rows reshape cannot follow one: the check undoes the first rewrite by name, refuses the
     * dynamic batch at batch 2 naming the failing node, and the model keeps batch 1 and its outputs.
     */
    @Test
    void dynamicBatchIsRefusedWithTheNodeNamedWhenTheRewriteChangesTheGraph() throws Exception {
        SyntheticModel model = new SyntheticModel()
                .placeholder("input", IMAGE)
                .intConst("rows/shape", "DT_INT32", new long[] {2}, 4, 1)
                .intConst("gathered/shape", "DT_INT32", new long[] {2}, 1, 4)
                .signature("input:0", IMAGE, "gathered:0", new long[] {1, 4});
        ((ObjectNode) model.node("rows", "Reshape", "input", "rows/shape").get("attr")).putObject("T").put("type", "DT_FLOAT");
        ((ObjectNode) model.node("gathered", "Reshape", "rows", "gathered/shape").get("attr")).putObject("T")
                .put("type", "DT_FLOAT");

        ImportReport report = TfjsImporter.importModel(model.write(dir.resolve("tfjs")), dir.resolve("out"),
                ImportOptions.defaults().withTask("classification").withDynamicBatch(true));

        assertThat(report.dynamicBatch()).isEmpty();
        assertThat(report.dynamicBatchCheck()).startsWith("refused");
        assertThat(report.warnings()).anySatisfy(w -> assertThat(w).startsWith("batch: the rewrite of Reshape 'gathered'"
                + " was undone: it changes what the graph computes at batch 1 (node 'gathered' fails: Cannot reshape a tensor"
                + " with 4 elements to shape [4,4] (16 elements)); its leading 1 is not the batch"));
        assertThat(report.warnings()).anySatisfy(w -> assertThat(w).startsWith("batch: --dynamic-batch refused: at batch 2"
                + " node 'rows' fails: Input to reshape is a tensor with 8 values, but the requested shape has 4.")
                .endsWith("Lumen runs one image per forward pass"));
        assertThat(report.summary()).contains("  check: batch: --dynamic-batch refused: at batch 2 node 'rows' fails");
        assertThat(report.inputs().get("input")).endsWith("[1, 2, 2, 1]");
        try (SavedModelRunner runner = new SavedModelRunner(dir.resolve("out"))) {
            FloatTensor out = runner.run(new FloatTensor(IMAGE, new float[] {-1, 0.5f, 2, 3})).get("gathered");
            assertThat(out.shape()).containsExactly(1, 4);
            assertThat(out.data()).containsExactly(-1, 0.5f, 2, 3);
        }
    }

    @Test
    void splitsDepthwisePreluLeakyReluMatMulAndStandalonePrelu() throws Exception {
        SyntheticModel model = new SyntheticModel()
                .placeholder("input", 1, 1, 1, 2)
                .floatConst("dw/filter", new long[] {1, 1, 2, 1}, 1, -2)
                .floatConst("dw/bias", new long[] {2}, 0.5f, 0)
                .floatConst("dw/alpha", new long[] {2}, 0.1f, 0.25f)
                .intConst("flat/shape", "DT_INT32", new long[] {2}, 1, 2)
                .floatConst("fc/weights", new long[] {2, 1}, 1, 1)
                .floatConst("fc/bias", new long[] {1}, 0)
                .floatConst("out/alpha", new long[] {1}, 0.1f)
                .signature("input:0", new long[] {1, 1, 1, 2}, "out:0", new long[] {1, 1});
        ObjectNode dw = fused(model.node("dw", "FusedDepthwiseConv2dNative", "input", "dw/filter", "dw/bias", "dw/alpha"),
                2, "BiasAdd", "Prelu");
        ints(dw.putObject("strides"), 1, 1, 1, 1);
        dw.putObject("padding").put("s", SyntheticModel.base64("SAME"));
        ObjectNode flat = (ObjectNode) model.node("flat", "Reshape", "dw", "flat/shape").get("attr");
        flat.putObject("T").put("type", "DT_FLOAT");
        ObjectNode fc = fused(model.node("fc", "_FusedMatMul", "flat", "fc/weights", "fc/bias"), 1, "BiasAdd", "LeakyRelu");
        fc.putObject("leakyrelu_alpha").put("f", 0.5);
        fc.putObject("transpose_a").put("b", false);
        fc.putObject("transpose_b").put("b", false);
        ((ObjectNode) model.node("out", "Prelu", "fc", "out/alpha").get("attr")).putObject("T").put("type", "DT_FLOAT");

        ImportReport report = TfjsImporter.importModel(model.write(dir.resolve("tfjs")), dir.resolve("out"),
                ImportOptions.defaults());

        assertThat(report.unfusedOps()).containsOnly(Map.entry("FusedDepthwiseConv2dNative", 1),
                Map.entry("_FusedMatMul", 1), Map.entry("Prelu", 1));
        Map<String, NodeDef> nodes = nodes(dir.resolve("out"));
        assertThat(nodes.values()).extracting(NodeDef::getOp)
                .doesNotContain("FusedDepthwiseConv2dNative", "_FusedMatMul", "Prelu");
        assertThat(nodes.get("dw").getOp()).isEqualTo("Sub");
        assertThat(nodes.get("fc").getOp()).isEqualTo("LeakyRelu");
        assertThat(nodes.get("out").getOp()).isEqualTo("Sub");
        // x = [-1, 1]: depthwise [-0.5, -2], prelu [-0.05, -0.5], matmul -0.55, leaky -0.275, prelu -0.0275
        try (SavedModelRunner runner = new SavedModelRunner(dir.resolve("out"))) {
            FloatTensor out = runner.run(new FloatTensor(new long[] {1, 1, 1, 2}, new float[] {-1, 1})).get("out");
            assertThat(out.data()[0]).isCloseTo(-0.0275f, within(1e-6f));
        }
    }

    @Test
    void readsModelsShippedAsJavaScriptBundles() throws Exception {
        Path bundle = fusedConvolution().writeAsBundle(dir.resolve("bundle"));

        ImportReport report = TfjsImporter.importModel(bundle, dir.resolve("out"), ImportOptions.defaults());

        assertThat(report.source().getFileName().toString()).isEqualTo("model.min.js");
        try (SavedModelRunner runner = new SavedModelRunner(dir.resolve("out"))) {
            assertThat(runner.run(new FloatTensor(IMAGE, new float[] {-1, 0.5f, 2, 3})).get("flat").data())
                    .containsExactly(0, 2, 5, 6);
        }
    }

    @Test
    void draftsADescriptorFromTheGraphAndTheOptions() throws Exception {
        ImportReport guessed = TfjsImporter.importModel(fusedConvolution().write(dir.resolve("tfjs")), dir.resolve("guessed"),
                ImportOptions.defaults());

        ModelDescriptor read = ModelDescriptor.read(dir.resolve("guessed"));
        assertThat(read.task()).isEqualTo(Task.CLASSIFICATION);
        assertThat(read.input().layout()).isEqualTo(Layout.NHWC);
        assertThat(read.input().width()).isEqualTo(2);
        assertThat(read.input().channels()).isEqualTo(1);
        assertThat(read.labels()).containsExactly("class_0", "class_1", "class_2", "class_3");
        assertThat(read.outputs()).containsExactly(Map.entry(ModelDescriptor.LOGITS, "flat"));
        assertThat(guessed.warnings()).anyMatch(w -> w.contains("task guessed")).anyMatch(w -> w.contains("labels"));

        ImportReport told = TfjsImporter.importModel(fusedConvolution().write(dir.resolve("tfjs")), dir.resolve("told"),
                ImportOptions.defaults().withTask("multilabel").withLabels(List.of("a", "b", "c", "d")));

        assertThat(told.descriptor().task()).isEqualTo(Task.MULTILABEL);
        assertThat(told.descriptor().labels()).containsExactly("a", "b", "c", "d");
        assertThat(told.warnings()).singleElement().asString()
                .startsWith("batch: the graph fixes the batch at 1, so Lumen runs one image per forward pass");
    }

    @Test
    void refusesUnknownOperationsNamingThem() throws Exception {
        SyntheticModel model = new SyntheticModel().placeholder("input", IMAGE)
                .signature("input:0", IMAGE, "mystery:0", IMAGE);
        model.node("mystery", "MysteryOp", "input");

        assertThatThrownBy(() -> TfjsImporter.importModel(model.write(dir.resolve("tfjs")), dir.resolve("out"),
                ImportOptions.defaults()))
                .isInstanceOf(UnsupportedModelException.class)
                .hasMessageContaining("MysteryOp (1 node, e.g. 'mystery')");
        assertThat(dir.resolve("out/saved_model.pb")).doesNotExist();
    }

    @Test
    void refusesLayersModels() throws Exception {
        Path model = dir.resolve("model.json");
        Files.writeString(model, """
                {"format": "layers-model", "modelTopology": {"class_name": "Sequential", "config": {}},
                 "weightsManifest": []}""");

        assertThatThrownBy(() -> TfjsImporter.importModel(model, dir.resolve("out"), ImportOptions.defaults()))
                .isInstanceOf(UnsupportedModelException.class)
                .hasMessageContaining("layers model")
                .hasMessageContaining("--output_format=tfjs_graph_model");
    }

    @Test
    void namesAConstantWithoutWeights() throws Exception {
        SyntheticModel model = fusedConvolution();
        ((ObjectNode) model.json().get("weightsManifest").get(0).get("weights").get(0)).put("name", "renamed");

        assertThatThrownBy(() -> TfjsImporter.importModel(model.write(dir.resolve("tfjs")), dir.resolve("out"),
                ImportOptions.defaults()))
                .isInstanceOf(TfjsImportException.class)
                .hasMessageContaining("constant 'conv/filter' has no weight");
    }

    private static ObjectNode fused(ObjectNode node, int args, String... ops) {
        ObjectNode attr = (ObjectNode) node.get("attr");
        attr.putObject("T").put("type", "DT_FLOAT");
        var list = attr.putObject("fused_ops").putObject("list").putArray("s");
        for (String op : ops) {
            list.add(SyntheticModel.base64(op));
        }
        attr.putObject("num_args").put("i", Integer.toString(args));
        return attr;
    }

    private static void ints(ObjectNode attr, int... values) {
        var list = attr.putObject("list").putArray("i");
        for (int v : values) {
            list.add(Integer.toString(v));
        }
    }

    private static Map<String, NodeDef> nodes(Path savedModel) throws Exception {
        GraphDef graph = SavedModel.parseFrom(Files.readAllBytes(savedModel.resolve("saved_model.pb")))
                .getMetaGraphs(0).getGraphDef();
        return graph.getNodeList().stream().collect(Collectors.toMap(NodeDef::getName, Function.identity()));
    }

    private static TensorProto value(NodeDef node) {
        return node.getAttrOrThrow("value").getTensor();
    }

    private static float[] floats(TensorProto tensor) {
        var buffer = ByteBuffer.wrap(tensor.getTensorContent().toByteArray()).order(ByteOrder.LITTLE_ENDIAN).asFloatBuffer();
        float[] values = new float[buffer.remaining()];
        buffer.get(values);
        return values;
    }
}
