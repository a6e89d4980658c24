package dev.lumen.tfjs;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;

/**
 * Writes small TF.js graph models in the converter's format (model.json with a GraphDef in
 * protobuf JSON, weights in a binary shard), so tests know every value the importer must produce.
 */
final class SyntheticModel {

    private static final ObjectMapper JSON = new ObjectMapper();

    private final ObjectNode root = JSON.createObjectNode();
    private final ArrayNode nodes;
    private final ArrayNode weights;
    private final ByteArrayOutputStream data = new ByteArrayOutputStream();

    SyntheticModel() {
        root.put("format", "graph-model");
        root.put("generatedBy", "lumen tests");
        nodes = root.putObject("modelTopology").putArray("node");
        ObjectNode group = root.putArray("weightsManifest").addObject();
        group.putArray("paths").add("weights.bin");
        weights = group.putArray("weights");
    }

    /** Adds a node; {@code attrs} is the node's attr map in protobuf JSON. */
    ObjectNode node(String name, String op, String... inputs) {
        ObjectNode node = nodes.addObject().put("name", name).put("op", op);
        ArrayNode in = node.putArray("input");
        for (String input : inputs) {
            in.add(input);
        }
        node.putObject("attr");
        return node;
    }

    /** A float placeholder of {@code shape}. */
    SyntheticModel placeholder(String name, long... shape) {
        ObjectNode attr = (ObjectNode) node(name, "Placeholder").get("attr");
        attr.putObject("dtype").put("type", "DT_FLOAT");
        shape(attr.putObject("shape").putObject("shape"), shape);
        return this;
    }

    /** A float32 constant stored unquantized. */
    SyntheticModel floatConst(String name, long[] shape, float... values) {
        constNode(name, "DT_FLOAT", shape);
        ByteBuffer bytes = ByteBuffer.allocate(values.length * 4).order(ByteOrder.LITTLE_ENDIAN);
        bytes.asFloatBuffer().put(values);
        data.writeBytes(bytes.array());
        weight(name, "float32", shape);
        return this;
    }

    /** A float32 constant stored as uint8: {@code value = stored * scale + min}. */
    SyntheticModel uint8Const(String name, long[] shape, double scale, double min, int... stored) {
        constNode(name, "DT_FLOAT", shape);
        for (int s : stored) {
            data.write(s);
        }
        weight(name, "float32", shape).putObject("quantization").put("dtype", "uint8").put("scale", scale).put("min", min);
        return this;
    }

    /** A float32 constant stored as IEEE half floats (raw 16-bit patterns). */
    SyntheticModel float16Const(String name, long[] shape, int... halfBits) {
        constNode(name, "DT_FLOAT", shape);
        for (int h : halfBits) {
            data.write(h & 0xff);
            data.write((h >> 8) & 0xff);
        }
        weight(name, "float32", shape).putObject("quantization").put("dtype", "float16");
        return this;
    }

    /** An integer constant declared {@code dtype} (DT_INT32 or DT_INT64) and stored as int32, as TF.js does. */
    SyntheticModel intConst(String name, String dtype, long[] shape, int... values) {
        constNode(name, dtype, shape);
        ByteBuffer bytes = ByteBuffer.allocate(values.length * 4).order(ByteOrder.LITTLE_ENDIAN);
        bytes.asIntBuffer().put(values);
        data.writeBytes(bytes.array());
        weight(name, "int32", shape);
        return this;
    }

    /** Declares the signature: one input and one output tensor with their shapes. */
    SyntheticModel signature(String input, long[] inputShape, String output, long[] outputShape) {
        ObjectNode signature = root.putObject("signature");
        tensorInfo(signature.putObject("inputs"), input, inputShape);
        tensorInfo(signature.putObject("outputs"), output, outputShape);
        return this;
    }

    ObjectNode json() {
        return root;
    }

    /** Writes {@code dir/model.json} and {@code dir/weights.bin}; returns the model.json path. */
    Path write(Path dir) throws Exception {
        Files.createDirectories(dir);
        Files.write(dir.resolve("weights.bin"), data.toByteArray());
        Path model = dir.resolve("model.json");
        JSON.writeValue(model.toFile(), root);
        return model;
    }

    /** Writes the model as nsfwjs ships its models: UMD modules with a JS object literal and base64 shards. */
    Path writeAsBundle(Path dir) throws Exception {
        Files.createDirectories(dir);
        ((ObjectNode) root.get("weightsManifest").get(0)).putArray("paths").add("group1-shard1of1");
        String literal = JSON.writeValueAsString(root)
                .replaceAll("\"(\\w+)\":", "$1:")      // unquoted keys
                .replace("true", "!0")                  // minifier booleans
                .replaceAll("(?<=[:,\\[])0\\.5", ".5"); // no leading zero
        Files.writeString(dir.resolve("model.min.js"), umd("model", "e.exports=" + literal), StandardCharsets.UTF_8);
        Files.writeString(dir.resolve("group1-shard1of1.min.js"), umd("group1_shard1of1",
                "e.exports=\"" + Base64.getEncoder().encodeToString(data.toByteArray()) + "\""), StandardCharsets.UTF_8);
        return dir;
    }

    private static String umd(String global, String body) {
        return "!function(t){if(\"object\"==typeof exports&&\"undefined\"!=typeof module)module.exports=t();else{"
                + "(\"undefined\"!=typeof window?window:this)." + global + "=t()}}((function(){return function t(r,e,n){"
                + "return r[1][0]}({1:[function(r,e,n){" + body + "},{}]},{},[1])(1)}));";
    }

    private void constNode(String name, String dtype, long[] shape) {
        ObjectNode attr = (ObjectNode) node(name, "Const").get("attr");
        ObjectNode tensor = attr.putObject("value").putObject("tensor").put("dtype", dtype);
        shape(tensor.putObject("tensorShape"), shape);
        attr.putObject("dtype").put("type", dtype);
    }

    private ObjectNode weight(String name, String dtype, long[] shape) {
        ObjectNode weight = weights.addObject().put("name", name);
        ArrayNode dims = weight.putArray("shape");
        for (long d : shape) {
            dims.add(d);
        }
        weight.put("dtype", dtype);
        return weight;
    }

    private static void tensorInfo(ObjectNode section, String name, long[] shape) {
        ObjectNode info = section.putObject(name).put("name", name).put("dtype", "DT_FLOAT");
        shape(info.putObject("tensorShape"), shape);
    }

    private static void shape(ObjectNode shapeProto, long[] dims) {
        ArrayNode dim = shapeProto.putArray("dim");
        for (long d : dims) {
            dim.addObject().put("size", Long.toString(d));
        }
    }

    /** A string attribute value as protobuf JSON writes bytes. */
    static String base64(String text) {
        return Base64.getEncoder().encodeToString(text.getBytes(StandardCharsets.UTF_8));
    }
}
