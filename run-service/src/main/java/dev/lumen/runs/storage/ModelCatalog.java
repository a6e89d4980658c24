package dev.lumen.runs.storage;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.lumen.runs.domain.DescriptorLabels;
import dev.lumen.service.storage.ObjectStore;
import jakarta.enterprise.context.ApplicationScoped;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/** Reads registered models' descriptors from object storage ({@code models/{id}/lumen-model.json}). */
@ApplicationScoped
public class ModelCatalog {

    private final ObjectStore store;
    private final ObjectMapper mapper;

    public ModelCatalog(ObjectStore store, ObjectMapper mapper) {
        this.store = store;
        this.mapper = mapper;
    }

    /**
     * What run-service needs to know of a model.
     *
     * @param task the task the descriptor declares ({@code ""} when it declares none or is unreadable)
     * @param tenant the owner the descriptor declares; null for models without one (default tenant)
     * @param labels the labels the descriptor declares, in index order; empty when it declares none
     */
    public record Model(String task, String tenant, List<String> labels) {

        /** Copies the labels. */
        public Model {
            labels = List.copyOf(labels);
        }

        /** Whether {@code tenantId} owns the model; models without a tenant belong to {@code defaultTenant}. */
        public boolean ownedBy(String tenantId, String defaultTenant) {
            return (tenant == null ? defaultTenant : tenant).equals(tenantId);
        }
    }

    /**
     * The operation names of the model's graph, as listed at registration; empty for models registered
     * without the list (seeded straight into storage, or graphs too large to list).
     */
    public Optional<Set<String>> operations(String modelId) {
        return store.get(ModelRegistry.prefix(modelId) + ModelRegistry.OPERATIONS_FILE)
                .map(bytes -> Set.copyOf(new String(bytes, StandardCharsets.UTF_8).lines().filter(l -> !l.isEmpty()).toList()));
    }

    /** The model's descriptor, or empty when no such model exists. */
    public Optional<Model> find(String modelId) {
        return store.get("models/" + modelId + "/lumen-model.json").map(bytes -> {
            try {
                JsonNode descriptor = mapper.readTree(bytes);
                JsonNode tenant = descriptor.path("tenant");
                List<String> labels = DescriptorLabels.of(descriptor);
                return new Model(descriptor.path("task").asText(""), tenant.isTextual() ? tenant.asText() : null, labels);
            } catch (IOException e) {
                return new Model("", null, List.of());
            }
        });
    }
}
