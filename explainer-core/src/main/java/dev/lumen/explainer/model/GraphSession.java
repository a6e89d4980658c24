package dev.lumen.explainer.model;

import static org.tensorflow.internal.c_api.global.tensorflow.TF_AddGradientsWithPrefix;
import static org.tensorflow.internal.c_api.global.tensorflow.TF_AllocateTensor;
import static org.tensorflow.internal.c_api.global.tensorflow.TF_DeleteStatus;
import static org.tensorflow.internal.c_api.global.tensorflow.TF_DeleteTensor;
import static org.tensorflow.internal.c_api.global.tensorflow.TF_Dim;
import static org.tensorflow.internal.c_api.global.tensorflow.TF_FLOAT;
import static org.tensorflow.internal.c_api.global.tensorflow.TF_FinishOperation;
import static org.tensorflow.internal.c_api.global.tensorflow.TF_GetCode;
import static org.tensorflow.internal.c_api.global.tensorflow.TF_GraphGetTensorNumDims;
import static org.tensorflow.internal.c_api.global.tensorflow.TF_GraphGetTensorShape;
import static org.tensorflow.internal.c_api.global.tensorflow.TF_GraphOperationByName;
import static org.tensorflow.internal.c_api.global.tensorflow.TF_INT32;
import static org.tensorflow.internal.c_api.global.tensorflow.TF_INT64;
import static org.tensorflow.internal.c_api.global.tensorflow.TF_Message;
import static org.tensorflow.internal.c_api.global.tensorflow.TF_NewOperation;
import static org.tensorflow.internal.c_api.global.tensorflow.TF_NewStatus;
import static org.tensorflow.internal.c_api.global.tensorflow.TF_NumDims;
import static org.tensorflow.internal.c_api.global.tensorflow.TF_OK;
import static org.tensorflow.internal.c_api.global.tensorflow.TF_OperationGetAttrIntList;
import static org.tensorflow.internal.c_api.global.tensorflow.TF_OperationGetAttrMetadata;
import static org.tensorflow.internal.c_api.global.tensorflow.TF_OperationGetAttrString;
import static org.tensorflow.internal.c_api.global.tensorflow.TF_OperationGetAttrTensor;
import static org.tensorflow.internal.c_api.global.tensorflow.TF_OperationInput;
import static org.tensorflow.internal.c_api.global.tensorflow.TF_OperationName;
import static org.tensorflow.internal.c_api.global.tensorflow.TF_OperationNumInputs;
import static org.tensorflow.internal.c_api.global.tensorflow.TF_OperationNumOutputs;
import static org.tensorflow.internal.c_api.global.tensorflow.TF_OperationOpType;
import static org.tensorflow.internal.c_api.global.tensorflow.TF_OperationOutputType;
import static org.tensorflow.internal.c_api.global.tensorflow.TF_SessionRun;
import static org.tensorflow.internal.c_api.global.tensorflow.TF_SetAttrType;
import static org.tensorflow.internal.c_api.global.tensorflow.TF_TensorByteSize;
import static org.tensorflow.internal.c_api.global.tensorflow.TF_TensorData;
import static org.tensorflow.internal.c_api.global.tensorflow.TF_TensorType;
import static org.tensorflow.internal.c_api.global.tensorflow.TF_UINT8;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.locks.ReentrantReadWriteLock;
import org.bytedeco.javacpp.BytePointer;
import org.bytedeco.javacpp.FloatPointer;
import org.bytedeco.javacpp.IntPointer;
import org.bytedeco.javacpp.LongPointer;
import org.bytedeco.javacpp.PointerPointer;
import org.bytedeco.javacpp.PointerScope;
import org.tensorflow.internal.c_api.TF_AttrMetadata;
import org.tensorflow.internal.c_api.TF_Graph;
import org.tensorflow.internal.c_api.TF_Input;
import org.tensorflow.internal.c_api.TF_Operation;
import org.tensorflow.internal.c_api.TF_OperationDescription;
import org.tensorflow.internal.c_api.TF_Output;
import org.tensorflow.internal.c_api.TF_Session;
import org.tensorflow.internal.c_api.TF_Status;
import org.tensorflow.internal.c_api.TF_Tensor;

/**
 * The TensorFlow C API on the graph and session that DJL loaded, reduced to what Lumen needs:
 * inspect operations and shapes, add a placeholder and gradient operations, and run the session
 * with any feeds and fetches (DJL's predictor can only feed signature inputs and fetch signature
 * outputs; explaining needs intermediate tensors).
 *
 * <p>Runs may overlap (TensorFlow sessions are thread-safe); adding operations takes an exclusive
 * lock so that no run sees a half-built gradient subgraph. Every native object created here is
 * released before a method returns.
 */
final class GraphSession {

    private final TF_Graph graph;
    private final TF_Session session;
    private final ReentrantReadWriteLock lock = new ReentrantReadWriteLock();

    GraphSession(TF_Graph graph, TF_Session session) {
        this.graph = graph;
        this.session = session;
    }

    /** Whether an operation of this name exists. */
    boolean hasOperation(String name) {
        return TF_GraphOperationByName(graph, name) != null;
    }

    /** Operation type (e.g. {@code Conv2D}) of an existing operation. */
    String opType(String name) {
        return TF_OperationOpType(operation(name)).getString();
    }

    /** Number of outputs of an existing operation. */
    int outputCount(String name) {
        return TF_OperationNumOutputs(operation(name));
    }

    /** The tensors an operation consumes, in input order (control inputs excluded). */
    List<TensorRef> inputs(String name) {
        TF_Operation op = operation(name);
        int count = TF_OperationNumInputs(op);
        List<TensorRef> inputs = new ArrayList<>(count);
        try (PointerScope scope = new PointerScope()) {
            for (int i = 0; i < count; i++) {
                TF_Output source = TF_OperationInput(new TF_Input().oper(op).index(i));
                inputs.add(new TensorRef(TF_OperationName(source.oper()).getString(), source.index()));
            }
        }
        return inputs;
    }

    /** Whether the tensor holds 32-bit floats. */
    boolean isFloat(TensorRef tensor) {
        try (PointerScope scope = new PointerScope()) {
            return TF_OperationOutputType(output(tensor)) == TF_FLOAT;
        }
    }

    /** The tensor's element type as {@code lumen-model.json} names it ({@code float32}, {@code uint8}, ...). */
    String dtypeName(TensorRef tensor) {
        try (PointerScope scope = new PointerScope()) {
            int dtype = TF_OperationOutputType(output(tensor));
            return dtype == TF_FLOAT ? "float32" : dtype == TF_UINT8 ? "uint8" : dtype == TF_INT32 ? "int32"
                    : dtype == TF_INT64 ? "int64" : "TensorFlow dtype " + dtype;
        }
    }

    /** Static shape with -1 for unknown dimensions, or null when even the rank is unknown. */
    long[] shape(TensorRef tensor) {
        TF_Status status = TF_NewStatus();
        try (PointerScope scope = new PointerScope()) {
            TF_Output output = output(tensor);
            int rank = TF_GraphGetTensorNumDims(graph, output, status);
            check(status, "shape of " + tensor);
            if (rank < 0) {
                return null;
            }
            long[] dims = new long[rank];
            TF_GraphGetTensorShape(graph, output, dims, rank, status);
            check(status, "shape of " + tensor);
            return dims;
        } finally {
            TF_DeleteStatus(status);
        }
    }

    /** A string attribute of an operation (e.g. {@code padding}), or null when it has none. */
    String stringAttr(String opName, String attr) {
        TF_Operation op = operation(opName);
        TF_Status status = TF_NewStatus();
        try (PointerScope scope = new PointerScope()) {
            TF_AttrMetadata metadata = TF_OperationGetAttrMetadata(op, attr, status);
            if (TF_GetCode(status) != TF_OK || metadata.total_size() < 0) {
                return null;
            }
            BytePointer value = new BytePointer(metadata.total_size());
            TF_OperationGetAttrString(op, attr, value, metadata.total_size(), status);
            if (TF_GetCode(status) != TF_OK) {
                return null;
            }
            byte[] bytes = new byte[(int) metadata.total_size()];
            value.get(bytes);
            return new String(bytes, StandardCharsets.UTF_8);
        } finally {
            TF_DeleteStatus(status);
        }
    }

    /** An integer-list attribute of an operation (e.g. {@code strides}), or null when it has none. */
    long[] intListAttr(String opName, String attr) {
        TF_Operation op = operation(opName);
        TF_Status status = TF_NewStatus();
        try (PointerScope scope = new PointerScope()) {
            TF_AttrMetadata metadata = TF_OperationGetAttrMetadata(op, attr, status);
            if (TF_GetCode(status) != TF_OK || metadata.is_list() == 0 || metadata.list_size() < 0) {
                return null;
            }
            long[] values = new long[(int) metadata.list_size()];
            TF_OperationGetAttrIntList(op, attr, values, values.length, status);
            return TF_GetCode(status) == TF_OK ? values : null;
        } finally {
            TF_DeleteStatus(status);
        }
    }

    /** The integer values of a {@code Const} operation, or null when it is not an integer constant. */
    long[] integerConstant(String opName) {
        if (!"Const".equals(opType(opName))) {
            return null;
        }
        TF_Status status = TF_NewStatus();
        try (PointerScope scope = new PointerScope()) {
            PointerPointer<TF_Tensor> holder = new PointerPointer<>(1);
            TF_OperationGetAttrTensor(operation(opName), new BytePointer("value"), holder, status);
            if (TF_GetCode(status) != TF_OK) {
                return null;
            }
            TF_Tensor tensor = holder.get(TF_Tensor.class, 0);
            try {
                int type = TF_TensorType(tensor);
                long count = TF_TensorByteSize(tensor) / (type == TF_INT64 ? 8 : 4);
                long[] values = new long[(int) count];
                if (type == TF_INT64) {
                    new LongPointer(TF_TensorData(tensor)).capacity(count).get(values);
                } else if (type == TF_INT32) {
                    int[] ints = new int[(int) count];
                    new IntPointer(TF_TensorData(tensor)).capacity(count).get(ints);
                    for (int i = 0; i < ints.length; i++) {
                        values[i] = ints[i];
                    }
                } else {
                    return null;
                }
                return values;
            } finally {
                TF_DeleteTensor(tensor);
            }
        } finally {
            TF_DeleteStatus(status);
        }
    }

    /** Adds a float placeholder of unknown shape. */
    TensorRef addPlaceholder(String name) {
        lock.writeLock().lock();
        TF_Status status = TF_NewStatus();
        try {
            TF_OperationDescription description = TF_NewOperation(graph, "Placeholder", name);
            TF_SetAttrType(description, "dtype", TF_FLOAT);
            TF_FinishOperation(description, status);
            check(status, "adding placeholder " + name);
            return new TensorRef(name, 0);
        } finally {
            TF_DeleteStatus(status);
            lock.writeLock().unlock();
        }
    }

    /**
     * Adds operations computing {@code d(sum(seed * y)) / d(x)} under the name prefix
     * {@code prefix}, where {@code seed} is fed at run time with the shape of {@code y}. Only the
     * part of the graph between {@code x} and {@code y} is differentiated.
     */
    TensorRef addGradient(String prefix, TensorRef y, TensorRef x, TensorRef seed) {
        lock.writeLock().lock();
        TF_Status status = TF_NewStatus();
        try (PointerScope scope = new PointerScope()) {
            TF_Output dy = new TF_Output(1);
            TF_AddGradientsWithPrefix(graph, prefix, output(y), 1, output(x), 1, output(seed), status, dy);
            check(status, "differentiating " + y + " with respect to " + x);
            if (dy.oper() == null || dy.oper().isNull()) {
                throw new ModelLoadException(y + " does not depend on " + x + ": there is no gradient to follow");
            }
            return new TensorRef(TF_OperationName(dy.oper()).getString(), dy.index());
        } finally {
            TF_DeleteStatus(status);
            lock.writeLock().unlock();
        }
    }

    /**
     * Runs the session: feeds the given tensors (any tensor of the graph may be fed, which cuts
     * off everything upstream of it) and returns the fetched tensors in order.
     *
     * @throws ModelRunException when TensorFlow reports an error
     */
    List<FloatTensor> run(Map<TensorRef, FloatTensor> feeds, List<TensorRef> fetches) {
        int feedCount = feeds.size();
        int fetchCount = fetches.size();
        List<TF_Tensor> inputTensors = new ArrayList<>(feedCount);
        lock.readLock().lock();
        TF_Status status = TF_NewStatus();
        try (PointerScope scope = new PointerScope()) {
            TF_Output inputs = new TF_Output(Math.max(1, feedCount));
            PointerPointer<TF_Tensor> inputValues = new PointerPointer<>(Math.max(1, feedCount));
            int i = 0;
            for (Map.Entry<TensorRef, FloatTensor> feed : feeds.entrySet()) {
                set(inputs.getPointer(i), feed.getKey());
                TF_Tensor tensor = toNative(feed.getValue(), TF_OperationOutputType(inputs.getPointer(i)));
                inputTensors.add(tensor);
                inputValues.put(i, tensor);
                i++;
            }
            TF_Output outputs = new TF_Output(Math.max(1, fetchCount));
            for (int j = 0; j < fetchCount; j++) {
                set(outputs.getPointer(j), fetches.get(j));
            }
            PointerPointer<TF_Tensor> outputValues = new PointerPointer<>(Math.max(1, fetchCount));
            TF_SessionRun(session, null, inputs, inputValues, feedCount, outputs, outputValues, fetchCount,
                    (PointerPointer<?>) null, 0, null, status);
            if (TF_GetCode(status) != TF_OK) {
                throw new ModelRunException("TensorFlow run failed: " + TF_Message(status).getString());
            }
            List<FloatTensor> results = new ArrayList<>(fetchCount);
            try {
                for (int j = 0; j < fetchCount; j++) {
                    results.add(fromNative(outputValues.get(TF_Tensor.class, j), fetches.get(j)));
                }
            } finally {
                for (int j = 0; j < fetchCount; j++) {
                    TF_DeleteTensor(outputValues.get(TF_Tensor.class, j));
                }
            }
            return results;
        } finally {
            inputTensors.forEach(t -> TF_DeleteTensor(t));
            TF_DeleteStatus(status);
            lock.readLock().unlock();
        }
    }

    private TF_Operation operation(String name) {
        TF_Operation op = TF_GraphOperationByName(graph, name);
        if (op == null || op.isNull()) {
            throw new IllegalArgumentException("no operation named '" + name + "' in the graph");
        }
        return op;
    }

    private TF_Output output(TensorRef tensor) {
        TF_Output output = new TF_Output(1);
        set(output, tensor);
        return output;
    }

    private void set(TF_Output slot, TensorRef tensor) {
        TF_Operation op = operation(tensor.operation());
        if (tensor.index() >= TF_OperationNumOutputs(op)) {
            throw new IllegalArgumentException("operation '" + tensor.operation() + "' has no output " + tensor.index());
        }
        slot.oper(op).index(tensor.index());
    }

    /**
     * A native tensor of the fed tensor's dtype: integer inputs (uint8 images of the Object Detection
     * API) get the values rounded and clamped to the type's range.
     */
    private static TF_Tensor toNative(FloatTensor tensor, int dtype) {
        long[] shape = tensor.shape();
        float[] data = tensor.data();
        if (dtype == TF_UINT8) {
            TF_Tensor allocated = TF_AllocateTensor(TF_UINT8, shape, shape.length, data.length);
            byte[] bytes = new byte[data.length];
            for (int i = 0; i < data.length; i++) {
                bytes[i] = (byte) Math.max(0, Math.min(255, Math.round(data[i])));
            }
            if (data.length > 0) {
                new BytePointer(TF_TensorData(allocated)).capacity(data.length).put(bytes);
            }
            return allocated;
        }
        if (dtype == TF_INT32) {
            TF_Tensor allocated = TF_AllocateTensor(TF_INT32, shape, shape.length, 4L * data.length);
            int[] ints = new int[data.length];
            for (int i = 0; i < data.length; i++) {
                ints[i] = Math.round(data[i]);
            }
            if (data.length > 0) {
                new IntPointer(TF_TensorData(allocated)).capacity(data.length).put(ints);
            }
            return allocated;
        }
        if (dtype != TF_FLOAT) {
            throw new ModelRunException("an input of TensorFlow dtype " + dtype + " cannot be fed; Lumen feeds float32,"
                    + " uint8 and int32 inputs");
        }
        TF_Tensor allocated = TF_AllocateTensor(TF_FLOAT, shape, shape.length, 4L * data.length);
        if (data.length > 0) {
            new FloatPointer(TF_TensorData(allocated)).capacity(data.length).put(data);
        }
        return allocated;
    }

    /** Reads float32 outputs as they are and integer ones (class ids, counts) widened to float. */
    private static FloatTensor fromNative(TF_Tensor tensor, TensorRef name) {
        int dtype = TF_TensorType(tensor);
        if (dtype != TF_FLOAT && dtype != TF_INT32 && dtype != TF_INT64 && dtype != TF_UINT8) {
            throw new ModelRunException("tensor " + name + " has TensorFlow dtype " + dtype
                    + "; Lumen reads float32, int32, int64 and uint8 outputs");
        }
        int rank = TF_NumDims(tensor);
        long[] shape = new long[rank];
        long size = 1;
        for (int d = 0; d < rank; d++) {
            shape[d] = TF_Dim(tensor, d);
            size *= shape[d];
        }
        float[] data = new float[Math.toIntExact(size)];
        if (size > 0 && dtype == TF_FLOAT) {
            new FloatPointer(TF_TensorData(tensor)).capacity(size).get(data);
        } else if (size > 0 && dtype == TF_INT32) {
            IntPointer ints = new IntPointer(TF_TensorData(tensor)).capacity(size);
            for (int i = 0; i < data.length; i++) {
                data[i] = ints.get(i);
            }
        } else if (size > 0 && dtype == TF_INT64) {
            LongPointer longs = new LongPointer(TF_TensorData(tensor)).capacity(size);
            for (int i = 0; i < data.length; i++) {
                data[i] = longs.get(i);
            }
        } else if (size > 0) {
            BytePointer bytes = new BytePointer(TF_TensorData(tensor)).capacity(size);
            for (int i = 0; i < data.length; i++) {
                data[i] = bytes.get(i) & 0xFF;
            }
        }
        return new FloatTensor(shape, data);
    }

    private static void check(TF_Status status, String what) {
        if (TF_GetCode(status) != TF_OK) {
            throw new ModelLoadException(what + " failed: " + TF_Message(status).getString());
        }
    }
}
