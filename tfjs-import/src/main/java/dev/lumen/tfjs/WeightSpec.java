package dev.lumen.tfjs;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * One entry of a TF.js {@code weightsManifest}: a named tensor stored in the shards.
 *
 * @param name the Const node it fills
 * @param shape its dimensions
 * @param dtype the TF.js dtype of the decoded values: float32, int32, bool or string
 * @param quantization how the stored values are compressed; null when stored as {@code dtype}
 */
record WeightSpec(String name, long[] shape, String dtype, Quantization quantization) {

    /** Number of elements. */
    long size() {
        long size = 1;
        for (long d : shape) {
            size *= d;
        }
        return size;
    }

    /**
     * A compressed encoding: {@code float16}, or {@code uint8}/{@code uint16} meaning
     * {@code value = stored * scale + min}.
     */
    record Quantization(String dtype, double scale, double min) {
    }

    static WeightSpec fromJson(JsonNode node, String file) {
        String name = node.path("name").asText(null);
        JsonNode shape = node.get("shape");
        String dtype = node.path("dtype").asText(null);
        if (name == null || shape == null || !shape.isArray() || dtype == null) {
            throw new TfjsImportException(file + ": weightsManifest entry without name, shape or dtype: " + node);
        }
        long[] dims = new long[shape.size()];
        for (int i = 0; i < dims.length; i++) {
            dims[i] = shape.get(i).asLong();
        }
        JsonNode q = node.get("quantization");
        Quantization quantization = null;
        if (q != null && !q.isNull()) {
            String stored = q.path("dtype").asText(null);
            boolean linear = "uint8".equals(stored) || "uint16".equals(stored);
            if (!linear && !"float16".equals(stored)) {
                throw new UnsupportedModelException(file + ": weight '" + name + "' uses quantization '" + stored
                        + "'; supported: float16, uint8, uint16");
            }
            if (linear && (!q.has("scale") || !q.has("min"))) {
                throw new TfjsImportException(file + ": weight '" + name + "' is " + stored
                        + "-quantized without scale and min");
            }
            quantization = new Quantization(stored, q.path("scale").asDouble(), q.path("min").asDouble());
        }
        return new WeightSpec(name, dims, dtype, quantization);
    }
}
