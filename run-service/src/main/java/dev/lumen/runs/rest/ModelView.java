package dev.lumen.runs.rest;

import com.fasterxml.jackson.databind.JsonNode;
import dev.lumen.runs.domain.DescriptorLabels;
import dev.lumen.runs.storage.ModelRegistry;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A registered model as the API shows it: a summary of its descriptor and, for uploaded models, its
 * digest, size and creation time (null for models seeded straight into storage).
 *
 * @param decoder how the outputs become predictions: the descriptor's {@code decoder}, {@code layout}
 *     for a declared detection layout, else the task's default ({@code object-detection-api} for
 *     detectors; null for label models, which read their scores as described)
 * @param contentDigest {@code sha256:...} over every file's SHA-256 (see {@code digest.json})
 */
public record ModelView(String modelId, String name, String task, List<String> labels, InputSummary input,
                        Map<String, String> outputs, String decoder, String contentDigest, Long sizeBytes, Integer files,
                        Instant createdAt) {

    /** The descriptor's input: signature, tensor and size. */
    public record InputSummary(String signatureKey, String tensor, Integer width, Integer height) {
    }

    /** The view of a stored model. */
    public static ModelView of(ModelRegistry.StoredModel model) {
        JsonNode d = model.descriptor();
        List<String> labels = DescriptorLabels.of(d);
        Map<String, String> outputs = new LinkedHashMap<>();
        d.path("outputs").fields().forEachRemaining(e -> outputs.put(e.getKey(), e.getValue().asText()));
        JsonNode in = d.path("input");
        InputSummary input = new InputSummary(in.path("signatureKey").asText("serving_default"),
                in.hasNonNull("tensor") ? in.get("tensor").asText() : null,
                in.hasNonNull("width") ? in.get("width").asInt() : null,
                in.hasNonNull("height") ? in.get("height").asInt() : null);
        ModelRegistry.Digest digest = model.digest();
        String task = d.path("task").asText("");
        String decoder = d.hasNonNull("decoder") ? d.get("decoder").asText()
                : d.hasNonNull("detection") ? "layout"
                : task.equals("detection") || task.equals("instance-segmentation") ? "object-detection-api" : null;
        return new ModelView(model.modelId(), digest == null ? model.modelId() : digest.name(), task,
                labels, input, outputs, decoder, digest == null ? null : digest.contentDigest(),
                digest == null ? null : digest.sizeBytes(), digest == null ? null : digest.files().size(),
                digest == null ? null : digest.createdAt());
    }
}
