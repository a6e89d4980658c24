package dev.lumen.tfjs;

import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.util.JsonFormat;
import dev.lumen.explainer.model.InvalidDescriptorException;
import dev.lumen.explainer.model.ModelDescriptor;
import dev.lumen.explainer.model.ModelLoadException;
import dev.lumen.explainer.model.graphdef.FusedOpSplitter;
import dev.lumen.explainer.model.graphdef.GraphEditor;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.tensorflow.proto.GraphDef;
import org.tensorflow.proto.SignatureDef;
import org.tensorflow.proto.TensorInfo;

/**
 * Imports a TensorFlow.js graph model as a TensorFlow SavedModel that Lumen can load: parses
 * {@code model.json} and the weight shards, dequantizes the weights, widens int64 constants,
 * clears device placements, splits fused and TF.js-only operations, drafts {@code lumen-model.json},
 * optionally makes the batch dimension dynamic (verified by running the graph before and after, see
 * {@link BatchCheck}: the only step that needs the TensorFlow runtime), and writes
 * {@code saved_model.pb} with a {@code serving_default} signature.
 */
public final class TfjsImporter {

    private TfjsImporter() {
    }

    /**
     * Imports the model at {@code modelJsonOrDir} into {@code outDir}.
     *
     * @param modelJsonOrDir a {@code model.json}, a {@code model.min.js} bundle, or a directory with one of them
     * @param outDir the SavedModel directory to write (created; existing files replaced)
     * @param options what goes into the drafted {@code lumen-model.json}, and whether to make the batch dynamic
     * @throws UnsupportedModelException for layers models and operations TensorFlow does not know
     * @throws TfjsImportException for missing or malformed files
     */
    public static ImportReport importModel(Path modelJsonOrDir, Path outDir, ImportOptions options) {
        long started = System.nanoTime();
        TfjsModel model = TfjsModelReader.read(modelJsonOrDir);
        String source = model.source().toString();
        GraphEditor graph = new GraphEditor(parseTopology(model));

        WeightDecoder.Decoded weights = WeightDecoder.decode(model);
        ConstantFiller.Filled filled = ConstantFiller.fill(graph, weights.tensors(), source);
        int devices = ConstantFiller.clearDevices(graph);
        Map<String, Integer> unfused = splitFusedOps(graph);
        SignatureDef signature = ServingSignature.of(model.signature(), graph, source);
        GraphDef graphDef = graph.toGraphDef();
        SupportedOps.check(graphDef, source);

        DescriptorDraft.Draft draft = DescriptorDraft.draft(signature, graph, options);
        List<String> warnings = new ArrayList<>(draft.warnings());
        List<String> batchRewrites = List.of();
        String batchCheck = null;
        if (options.dynamicBatch()) {
            BatchCheck.Outcome batch = BatchCheck.makeDynamic(graphDef, signature, draft.descriptor().input());
            graphDef = batch.graph();
            signature = batch.signature();
            batchRewrites = batch.rewrites();
            batchCheck = batch.summary();
            warnings.addAll(batch.notes());
        } else if (fixesBatchOfOne(signature)) {
            warnings.add("batch: the graph fixes the batch at 1, so Lumen runs one image per forward pass (RISE and"
                    + " D-RISE take longer); --dynamic-batch tries a rewrite and keeps it only if it computes the same");
        }
        long bytes = SavedModelWriter.write(outDir, graphDef, signature);
        writeDescriptor(draft.descriptor(), outDir);
        if (filled.unusedWeights() > 0) {
            warnings.add(filled.unusedWeights() + " weights of the manifest fill no constant of the graph");
        }
        return new ImportReport(outDir, model.source(), graphDef.getNodeCount(), filled.constants(),
                weights.dequantized(), filled.widenedToInt64(), devices, unfused, batchRewrites, batchCheck,
                describe(signature.getInputsMap()), describe(signature.getOutputsMap()), draft.descriptor(),
                warnings, bytes, Duration.ofNanos(System.nanoTime() - started));
    }

    /** Whether an input's batch dimension is fixed at 1. */
    static boolean fixesBatchOfOne(SignatureDef signature) {
        return signature.getInputsMap().values().stream().anyMatch(info -> {
            long[] dims = Tensors.dims(info.getTensorShape());
            return dims != null && dims.length > 0 && dims[0] == 1;
        });
    }

    private static Map<String, Integer> splitFusedOps(GraphEditor graph) {
        try {
            return FusedOpSplitter.split(graph);
        } catch (ModelLoadException e) {
            throw new UnsupportedModelException(e.getMessage());
        }
    }

    private static GraphDef parseTopology(TfjsModel model) {
        GraphDef.Builder graph = GraphDef.newBuilder();
        try {
            JsonFormat.parser().ignoringUnknownFields().merge(model.topology().toString(), graph);
        } catch (InvalidProtocolBufferException e) {
            throw new TfjsImportException(model.source() + ": modelTopology is not a TensorFlow GraphDef: " + e.getMessage(), e);
        }
        return graph.build();
    }

    /** Writes the draft and reads it back, so a draft Lumen would refuse never leaves the importer. */
    private static void writeDescriptor(ModelDescriptor descriptor, Path outDir) {
        descriptor.write(outDir);
        try {
            ModelDescriptor.read(outDir);
        } catch (InvalidDescriptorException e) {
            throw new TfjsImportException("the drafted " + ModelDescriptor.FILE_NAME + " is invalid: " + e.getMessage(), e);
        }
    }

    private static Map<String, String> describe(Map<String, TensorInfo> tensors) {
        Map<String, String> described = new LinkedHashMap<>();
        tensors.forEach((key, info) -> described.put(key, info.getName() + " " + info.getDtype() + " "
                + Arrays.toString(Tensors.dims(info.getTensorShape()))));
        return described;
    }
}
