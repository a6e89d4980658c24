package dev.lumen.explainer.model;

import static org.tensorflow.internal.c_api.global.tensorflow.TF_DeleteBuffer;
import static org.tensorflow.internal.c_api.global.tensorflow.TF_GetAllOpList;

import com.google.protobuf.InvalidProtocolBufferException;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.bytedeco.javacpp.BytePointer;
import org.tensorflow.internal.c_api.TF_Buffer;
import org.tensorflow.proto.AttrValue;
import org.tensorflow.proto.FunctionDef;
import org.tensorflow.proto.NodeDef;
import org.tensorflow.proto.OpDef;
import org.tensorflow.proto.OpDef.ArgDef;
import org.tensorflow.proto.OpList;

/**
 * The output arguments of operations, from TensorFlow's own op registry (and a graph's function
 * library for calls by function name): what it takes to turn a function body's output reference
 * {@code node:arg:i} into the graph's flat {@code node:k}, since one argument may be a list of
 * tensors ({@code IdentityN}'s {@code output}, a call's {@code Tout}).
 */
final class OpSignatures {

    private static volatile Map<String, OpDef> registry;

    private final Map<String, FunctionDef> functions;

    OpSignatures(Map<String, FunctionDef> functions) {
        this.functions = functions;
    }

    /**
     * The flat output index of {@code node}'s output argument {@code arg}, element {@code index}.
     *
     * @throws ModelLoadException when the operation or the argument is unknown
     */
    int outputIndex(NodeDef node, String arg, int index) {
        FunctionDef function = functions.get(node.getOp());
        List<ArgDef> outputs = function != null ? function.getSignature().getOutputArgList() : opDef(node).getOutputArgList();
        int offset = 0;
        for (ArgDef output : outputs) {
            if (output.getName().equals(arg)) {
                return offset + index;
            }
            offset += function != null ? 1 : length(output, node);
        }
        throw new ModelLoadException("node '" + node.getName() + "' (" + node.getOp() + ") has no output argument '"
                + arg + "'");
    }

    private static int length(ArgDef arg, NodeDef node) {
        if (!arg.getNumberAttr().isEmpty()) {
            return Math.toIntExact(attr(node, arg.getNumberAttr()).getI());
        }
        if (!arg.getTypeListAttr().isEmpty()) {
            return attr(node, arg.getTypeListAttr()).getList().getTypeCount();
        }
        return 1;
    }

    /** A node's attribute, or the op's default for it. */
    private static AttrValue attr(NodeDef node, String name) {
        AttrValue value = node.getAttrMap().get(name);
        if (value != null) {
            return value;
        }
        return opDef(node).getAttrList().stream()
                .filter(a -> a.getName().equals(name) && a.hasDefaultValue())
                .map(OpDef.AttrDef::getDefaultValue)
                .findFirst()
                .orElseThrow(() -> new ModelLoadException("node '" + node.getName() + "' (" + node.getOp()
                        + ") lacks attribute '" + name + "'"));
    }

    private static OpDef opDef(NodeDef node) {
        OpDef def = registry().get(node.getOp());
        if (def == null) {
            throw new ModelLoadException("node '" + node.getName() + "' uses operation " + node.getOp()
                    + ", which TensorFlow does not know");
        }
        return def;
    }

    private static Map<String, OpDef> registry() {
        Map<String, OpDef> defs = registry;
        if (defs == null) {
            synchronized (OpSignatures.class) {
                if (registry == null) {
                    registry = readRegistry();
                }
                defs = registry;
            }
        }
        return defs;
    }

    private static Map<String, OpDef> readRegistry() {
        TF_Buffer buffer = TF_GetAllOpList();
        try {
            byte[] bytes = new byte[Math.toIntExact(buffer.length())];
            new BytePointer(buffer.data()).capacity(bytes.length).get(bytes);
            Map<String, OpDef> defs = new HashMap<>();
            OpList.parseFrom(bytes).getOpList().forEach(def -> defs.put(def.getName(), def));
            return defs;
        } catch (InvalidProtocolBufferException e) {
            throw new ModelLoadException("cannot read TensorFlow's operation registry: " + e.getMessage(), e);
        } finally {
            TF_DeleteBuffer(buffer);
        }
    }
}
