package dev.lumen.tfjs;

import com.google.protobuf.ByteString;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.List;
import org.tensorflow.proto.DataType;
import org.tensorflow.proto.TensorProto;
import org.tensorflow.proto.TensorShapeProto;

/** Builds and reads the TensorProtos of Const nodes (little-endian {@code tensor_content}). */
final class Tensors {

    private Tensors() {
    }

    static TensorShapeProto shape(long... dims) {
        TensorShapeProto.Builder shape = TensorShapeProto.newBuilder();
        for (long d : dims) {
            shape.addDim(TensorShapeProto.Dim.newBuilder().setSize(d));
        }
        return shape.build();
    }

    static long[] dims(TensorShapeProto shape) {
        if (shape.getUnknownRank()) {
            return null;
        }
        long[] dims = new long[shape.getDimCount()];
        for (int i = 0; i < dims.length; i++) {
            dims[i] = shape.getDim(i).getSize();
        }
        return dims;
    }

    static TensorProto floats(long[] shape, float[] values) {
        ByteBuffer bytes = buffer(values.length * 4L);
        bytes.asFloatBuffer().put(values);
        return proto(DataType.DT_FLOAT, shape, bytes);
    }

    static TensorProto ints(long[] shape, int[] values) {
        ByteBuffer bytes = buffer(values.length * 4L);
        bytes.asIntBuffer().put(values);
        return proto(DataType.DT_INT32, shape, bytes);
    }

    static TensorProto longs(long[] shape, long[] values) {
        ByteBuffer bytes = buffer(values.length * 8L);
        bytes.asLongBuffer().put(values);
        return proto(DataType.DT_INT64, shape, bytes);
    }

    /** A 1-D int32 or int64 tensor, as shape operands need. */
    static TensorProto vector(DataType type, long[] values) {
        if (type == DataType.DT_INT64) {
            return longs(new long[] {values.length}, values);
        }
        int[] ints = new int[values.length];
        for (int i = 0; i < ints.length; i++) {
            ints[i] = Math.toIntExact(values[i]);
        }
        return ints(new long[] {values.length}, ints);
    }

    /** An int32 scalar. */
    static TensorProto scalar(int value) {
        return ints(new long[0], new int[] {value});
    }

    /** The int32 values of {@code tensor} widened to an int64 tensor of the same shape. */
    static TensorProto widenToInt64(TensorProto tensor) {
        long[] values = integers(tensor);
        return longs(dims(tensor.getTensorShape()), values);
    }

    /** Values of an int32 or int64 tensor, or null for other types. A scalar gives one value. */
    static long[] integers(TensorProto tensor) {
        long size = 1;
        for (long d : dims(tensor.getTensorShape())) {
            size *= d;
        }
        int count = Math.toIntExact(size);
        long[] values = new long[count];
        ByteBuffer content = tensor.getTensorContent().asReadOnlyByteBuffer().order(ByteOrder.LITTLE_ENDIAN);
        switch (tensor.getDtype()) {
            case DT_INT32 -> {
                for (int i = 0; i < count; i++) {
                    values[i] = content.hasRemaining() ? content.getInt(i * 4) : repeated(tensor.getIntValList(), i);
                }
            }
            case DT_INT64 -> {
                for (int i = 0; i < count; i++) {
                    values[i] = content.hasRemaining() ? content.getLong(i * 8) : repeated(tensor.getInt64ValList(), i);
                }
            }
            default -> {
                return null;
            }
        }
        return values;
    }

    /** TensorFlow repeats the last {@code *_val} entry to fill the shape. */
    private static long repeated(List<? extends Number> values, int index) {
        if (values.isEmpty()) {
            return 0;
        }
        return values.get(Math.min(index, values.size() - 1)).longValue();
    }

    private static ByteBuffer buffer(long size) {
        return ByteBuffer.allocate(Math.toIntExact(size)).order(ByteOrder.LITTLE_ENDIAN);
    }

    private static TensorProto proto(DataType type, long[] shape, ByteBuffer bytes) {
        return TensorProto.newBuilder()
                .setDtype(type)
                .setTensorShape(shape(shape))
                .setTensorContent(ByteString.copyFrom(bytes.array()))
                .build();
    }
}
