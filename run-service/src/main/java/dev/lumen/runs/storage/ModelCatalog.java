package dev.lumen.runs.storage;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.lumen.service.storage.ObjectStore;
import jakarta.enterprise.context.ApplicationScoped;

import java.io.IOException;
import java.util.Optional;

/** Reads registered models' descriptors from object storage ({@code models/{id}/lumen-model.json}). */
@ApplicationScoped
public class ModelCatalog {

    private final ObjectStore store;
    private final ObjectMapper mapper;

    public ModelCatalog(ObjectStore store, ObjectMapper mapper) {
        this.store = store;
        this.mapper = mapper;
    }

    /** The model's task as its descriptor declares it, or empty when no such model exists. */
    public Optional<String> task(String modelId) {
        return store.get("models/" + modelId + "/lumen-model.json").map(bytes -> {
            try {
                JsonNode task = mapper.readTree(bytes).path("task");
                return task.asText("");
            } catch (IOException e) {
                return "";
            }
        });
    }
}
