package dev.lumen.tfjs;

import dev.lumen.explainer.model.graphdef.GraphEditor;
import java.util.Map;
import org.tensorflow.proto.AttrValue;
import org.tensorflow.proto.DataType;
import org.tensorflow.proto.NodeDef;
import org.tensorflow.proto.TensorProto;

/**
 * Puts the decoded weights into the Const nodes, whose {@code value} TF.js leaves empty. TF.js has
 * no int64 and stores such constants as int32; they are widened back where the node's
 * {@code dtype} says DT_INT64, or TensorFlow rejects the graph.
 */
final class ConstantFiller {

    private ConstantFiller() {
    }

    /** Counts of what filling did. */
    record Filled(int constants, int widenedToInt64, int unusedWeights) {
    }

    static Filled fill(GraphEditor graph, Map<String, TensorProto> weights, String source) {
        int constants = 0;
        int widened = 0;
        for (NodeDef node : graph.nodes()) {
            if (!node.getOp().equals("Const") || hasValue(node)) {
                continue;
            }
            TensorProto weight = weights.get(node.getName());
            if (weight == null) {
                throw new TfjsImportException(source + ": constant '" + node.getName() + "' has no weight in weightsManifest");
            }
            DataType declared = node.getAttrOrDefault("dtype", AttrValue.getDefaultInstance()).getType();
            if (declared == DataType.DT_INT64 && weight.getDtype() == DataType.DT_INT32) {
                weight = Tensors.widenToInt64(weight);
                widened++;
            } else if (declared != weight.getDtype()) {
                throw new UnsupportedModelException(source + ": constant '" + node.getName() + "' is declared "
                        + declared + " but its weight is stored as " + weight.getDtype());
            }
            graph.put(node.toBuilder().putAttr("value", AttrValue.newBuilder().setTensor(weight).build()).build());
            constants++;
        }
        return new Filled(constants, widened, Math.max(0, weights.size() - constants));
    }

    /** Clears every node's device placement (TF.js keeps the exporter's, e.g. /device:CPU:0). */
    static int clearDevices(GraphEditor graph) {
        int cleared = 0;
        for (NodeDef node : graph.nodes()) {
            if (!node.getDevice().isEmpty()) {
                graph.put(node.toBuilder().clearDevice().build());
                cleared++;
            }
        }
        return cleared;
    }

    private static boolean hasValue(NodeDef node) {
        TensorProto value = node.getAttrOrDefault("value", AttrValue.getDefaultInstance()).getTensor();
        return !value.getTensorContent().isEmpty() || value.getFloatValCount() > 0 || value.getIntValCount() > 0
                || value.getInt64ValCount() > 0 || value.getBoolValCount() > 0 || value.getStringValCount() > 0
                || value.getHalfValCount() > 0 || value.getDoubleValCount() > 0;
    }
}
