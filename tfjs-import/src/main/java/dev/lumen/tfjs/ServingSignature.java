package dev.lumen.tfjs;

import com.fasterxml.jackson.databind.JsonNode;
import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.util.JsonFormat;
import dev.lumen.explainer.model.graphdef.GraphEditor;
import java.util.HashSet;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import org.tensorflow.proto.AttrValue;
import org.tensorflow.proto.DataType;
import org.tensorflow.proto.NodeDef;
import org.tensorflow.proto.SignatureDef;
import org.tensorflow.proto.TensorInfo;
import org.tensorflow.proto.TensorShapeProto;

/**
 * The {@code serving_default} signature of the imported model, from the TF.js {@code signature}
 * section (its entries are TensorInfos in protobuf's JSON mapping) or, when a model has none, from
 * the graph: placeholders in, unconsumed nodes out. Keys drop the {@code :0} of tensor names
 * ({@code input_1:0} becomes {@code input_1}), since signature keys name tensors, not outputs.
 */
final class ServingSignature {

    static final String KEY = "serving_default";
    static final String PREDICT_METHOD = "tensorflow/serving/predict";

    private ServingSignature() {
    }

    /** The signature for {@code graph}, from the TF.js {@code signature} section when present. */
    static SignatureDef of(JsonNode tfjsSignature, GraphEditor graph, String source) {
        SignatureDef.Builder signature = SignatureDef.newBuilder().setMethodName(PREDICT_METHOD);
        if (tfjsSignature != null && tfjsSignature.has("inputs") && tfjsSignature.has("outputs")) {
            signature.putAllInputs(entries(tfjsSignature.get("inputs"), source));
            signature.putAllOutputs(entries(tfjsSignature.get("outputs"), source));
        } else {
            derive(graph, signature);
        }
        for (TensorInfo info : signature.getInputsMap().values()) {
            requireNode(graph, info, source);
        }
        for (TensorInfo info : signature.getOutputsMap().values()) {
            requireNode(graph, info, source);
        }
        return signature.build();
    }

    /** The signature with a leading dimension of 1 made unknown on every input and output. */
    static SignatureDef withDynamicBatch(SignatureDef signature) {
        SignatureDef.Builder dynamic = signature.toBuilder().clearInputs().clearOutputs();
        signature.getInputsMap().forEach((key, info) -> dynamic.putInputs(key, dynamicBatch(info)));
        signature.getOutputsMap().forEach((key, info) -> dynamic.putOutputs(key, dynamicBatch(info)));
        return dynamic.build();
    }

    private static TensorInfo dynamicBatch(TensorInfo info) {
        TensorShapeProto shape = info.getTensorShape();
        if (shape.getDimCount() == 0 || shape.getDim(0).getSize() != 1) {
            return info;
        }
        return info.toBuilder().setTensorShape(shape.toBuilder().setDim(0, TensorShapeProto.Dim.newBuilder().setSize(-1))).build();
    }

    private static Map<String, TensorInfo> entries(JsonNode section, String source) {
        Map<String, TensorInfo> entries = new LinkedHashMap<>();
        Set<String> used = new HashSet<>();
        for (Iterator<Map.Entry<String, JsonNode>> it = section.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> field = it.next();
            TensorInfo.Builder info = TensorInfo.newBuilder();
            try {
                JsonFormat.parser().ignoringUnknownFields().merge(field.getValue().toString(), info);
            } catch (InvalidProtocolBufferException e) {
                throw new TfjsImportException(source + ": signature entry '" + field.getKey() + "' is malformed: "
                        + e.getMessage(), e);
            }
            if (info.getName().isEmpty()) {
                info.setName(field.getKey());
            }
            entries.put(uniqueKey(keyFor(field.getKey()), used), info.build());
        }
        return entries;
    }

    private static void derive(GraphEditor graph, SignatureDef.Builder signature) {
        Set<String> consumed = new HashSet<>();
        graph.nodes().forEach(node -> node.getInputList().forEach(input -> consumed.add(GraphEditor.nodeName(input))));
        Set<String> used = new HashSet<>();
        for (NodeDef node : graph.nodes()) {
            if (node.getOp().equals("Placeholder")) {
                TensorInfo.Builder info = TensorInfo.newBuilder().setName(node.getName() + ":0")
                        .setDtype(node.getAttrOrDefault("dtype", GraphEditor.type(DataType.DT_FLOAT)).getType());
                if (node.containsAttr("shape")) {
                    info.setTensorShape(node.getAttrOrThrow("shape").getShape());
                }
                signature.putInputs(uniqueKey(node.getName(), used), info.build());
            } else if (!consumed.contains(node.getName()) && !node.getOp().equals("Const") && !node.getOp().equals("NoOp")) {
                AttrValue type = node.containsAttr("T") ? node.getAttrOrThrow("T") : node.getAttrOrDefault("dtype", GraphEditor.type(DataType.DT_FLOAT));
                signature.putOutputs(uniqueKey(node.getName(), used), TensorInfo.newBuilder()
                        .setName(node.getName() + ":0").setDtype(type.getType())
                        .setTensorShape(TensorShapeProto.newBuilder().setUnknownRank(true)).build());
            }
        }
    }

    /** {@code name:0} becomes {@code name}; {@code name:2} becomes {@code name_2}. */
    static String keyFor(String tensorName) {
        int colon = tensorName.lastIndexOf(':');
        if (colon < 0) {
            return tensorName;
        }
        String index = tensorName.substring(colon + 1);
        String node = tensorName.substring(0, colon);
        return index.equals("0") ? node : node + "_" + index;
    }

    private static String uniqueKey(String key, Set<String> used) {
        String unique = key;
        for (int n = 1; !used.add(unique); n++) {
            unique = key + "_" + n;
        }
        return unique;
    }

    private static void requireNode(GraphEditor graph, TensorInfo info, String source) {
        if (graph.producer(info.getName()) == null) {
            throw new TfjsImportException(source + ": the signature names tensor '" + info.getName()
                    + "', which is not in the graph");
        }
    }
}
