package dev.lumen.tfjs;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Path;
import java.util.List;

/**
 * A TF.js graph model as stored: its {@code model.json} content and the bytes of all weight shards,
 * concatenated in manifest order (the order the weight specs describe them in).
 *
 * @param source the file the model was read from, for messages
 * @param json the whole model JSON
 * @param weights weight specs, in storage order
 * @param weightData all shards, concatenated
 */
record TfjsModel(Path source, JsonNode json, List<WeightSpec> weights, byte[] weightData) {

    /** {@code modelTopology}: a GraphDef in protobuf's JSON mapping. */
    JsonNode topology() {
        return json.get("modelTopology");
    }

    /**
     * The {@code signature} section; older converters put it under {@code userDefinedMetadata}.
     * Null when the model has none.
     */
    JsonNode signature() {
        JsonNode signature = json.get("signature");
        if (signature == null || signature.isNull()) {
            signature = json.path("userDefinedMetadata").get("signature");
        }
        return signature == null || signature.isNull() ? null : signature;
    }
}
