package dev.lumen.tfjs;

import com.google.protobuf.ByteString;
import java.nio.BufferUnderflowException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.LinkedHashMap;
import java.util.Map;
import org.tensorflow.proto.DataType;
import org.tensorflow.proto.TensorProto;

/**
 * Decodes the concatenated weight shards into one TensorProto per weight, dequantized exactly as
 * TF.js does ({@code tfjs-core} {@code io_utils.decodeWeights}): float16 widened, uint8/uint16
 * mapped through {@code stored * scale + min} in double precision and rounded to float32 (int32
 * weights: rounded half up), so the SavedModel computes with the very values TF.js computes with.
 */
final class WeightDecoder {

    private WeightDecoder() {
    }

    /** Decoded weights by name, and how many were stored quantized. */
    record Decoded(Map<String, TensorProto> tensors, int dequantized) {
    }

    static Decoded decode(TfjsModel model) {
        ByteBuffer data = ByteBuffer.wrap(model.weightData()).order(ByteOrder.LITTLE_ENDIAN);
        Map<String, TensorProto> tensors = new LinkedHashMap<>();
        int dequantized = 0;
        for (WeightSpec spec : model.weights()) {
            try {
                tensors.put(spec.name(), decode(spec, data));
            } catch (BufferUnderflowException e) {
                throw new TfjsImportException(model.source() + ": the weight shards end inside weight '" + spec.name()
                        + "' (" + model.weightData().length + " bytes in all); a shard is missing or truncated", e);
            }
            if (spec.quantization() != null) {
                dequantized++;
            }
        }
        if (data.hasRemaining()) {
            throw new TfjsImportException(model.source() + ": " + data.remaining()
                    + " bytes of the weight shards are left after the last weight; the manifest does not match the shards");
        }
        return new Decoded(tensors, dequantized);
    }

    private static TensorProto decode(WeightSpec spec, ByteBuffer data) {
        int size = Math.toIntExact(spec.size());
        WeightSpec.Quantization q = spec.quantization();
        return switch (spec.dtype()) {
            case "float32" -> Tensors.floats(spec.shape(), q == null ? rawFloats(data, size) : dequantize(q, data, size));
            case "int32" -> Tensors.ints(spec.shape(), q == null ? rawInts(data, size) : dequantizeInts(spec, data, size));
            case "bool" -> bools(spec, data, size);
            case "string" -> strings(spec, data, size);
            default -> throw new UnsupportedModelException("weight '" + spec.name() + "' has dtype '" + spec.dtype()
                    + "'; supported: float32, int32, bool, string");
        };
    }

    private static float[] rawFloats(ByteBuffer data, int size) {
        float[] values = new float[size];
        for (int i = 0; i < size; i++) {
            values[i] = data.getFloat();
        }
        return values;
    }

    private static int[] rawInts(ByteBuffer data, int size) {
        int[] values = new int[size];
        for (int i = 0; i < size; i++) {
            values[i] = data.getInt();
        }
        return values;
    }

    private static float[] dequantize(WeightSpec.Quantization q, ByteBuffer data, int size) {
        float[] values = new float[size];
        for (int i = 0; i < size; i++) {
            values[i] = switch (q.dtype()) {
                case "float16" -> Float16.toFloat(data.getShort());
                case "uint8" -> (float) (Byte.toUnsignedInt(data.get()) * q.scale() + q.min());
                default -> (float) (Short.toUnsignedInt(data.getShort()) * q.scale() + q.min());
            };
        }
        return values;
    }

    private static int[] dequantizeInts(WeightSpec spec, ByteBuffer data, int size) {
        WeightSpec.Quantization q = spec.quantization();
        if (q.dtype().equals("float16")) {
            throw new UnsupportedModelException("weight '" + spec.name() + "': int32 weights cannot be float16-quantized");
        }
        int[] values = new int[size];
        for (int i = 0; i < size; i++) {
            int stored = q.dtype().equals("uint8") ? Byte.toUnsignedInt(data.get()) : Short.toUnsignedInt(data.getShort());
            values[i] = (int) Math.round(stored * q.scale() + q.min());
        }
        return values;
    }

    private static TensorProto bools(WeightSpec spec, ByteBuffer data, int size) {
        byte[] values = new byte[size];
        data.get(values);
        return TensorProto.newBuilder()
                .setDtype(DataType.DT_BOOL)
                .setTensorShape(Tensors.shape(spec.shape()))
                .setTensorContent(ByteString.copyFrom(values))
                .build();
    }

    /** TF.js stores each string as a little-endian uint32 byte length and the bytes. */
    private static TensorProto strings(WeightSpec spec, ByteBuffer data, int size) {
        TensorProto.Builder tensor = TensorProto.newBuilder()
                .setDtype(DataType.DT_STRING)
                .setTensorShape(Tensors.shape(spec.shape()));
        for (int i = 0; i < size; i++) {
            byte[] bytes = new byte[Math.toIntExact(Integer.toUnsignedLong(data.getInt()))];
            data.get(bytes);
            tensor.addStringVal(ByteString.copyFrom(bytes));
        }
        return tensor.build();
    }
}
