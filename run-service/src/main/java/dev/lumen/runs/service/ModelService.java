package dev.lumen.runs.service;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.lumen.explainer.model.GraphVetting;
import dev.lumen.explainer.model.ModelLoadException;
import dev.lumen.explainer.model.RefusedOperationException;
import dev.lumen.runs.config.ModelConfig;
import dev.lumen.runs.config.RunServiceConfig;
import dev.lumen.runs.domain.Ids;
import dev.lumen.runs.domain.ModelArchive;
import dev.lumen.runs.domain.ModelDescriptorCheck;
import dev.lumen.runs.domain.RunViews;
import dev.lumen.runs.rest.RunView;
import dev.lumen.runs.rest.ModelView;
import dev.lumen.runs.storage.ModelRegistry;
import dev.lumen.service.rest.Problem;
import dev.lumen.service.rest.ProblemException;
import jakarta.enterprise.context.ApplicationScoped;
import org.jboss.logging.Logger;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.TreeSet;
import java.util.UUID;
import java.util.stream.Stream;

/**
 * The model registry of one tenant: registers a SavedModel archive with its descriptor, lists, shows
 * and deletes models. Archives are untrusted: they are unpacked into a temporary folder under limits
 * ({@code lumen.models.*}) and validated completely before anything is written to object storage, so a
 * refused upload stores nothing.
 */
@ApplicationScoped
public class ModelService {

    private static final Logger LOG = Logger.getLogger(ModelService.class);
    private static final long MAX_DESCRIPTOR_BYTES = 1024 * 1024;

    private final ModelRegistry registry;
    private final ModelConfig limits;
    private final RunServiceConfig config;
    private final ObjectMapper mapper;
    private final RunViews runs;

    public ModelService(ModelRegistry registry, ModelConfig limits, RunServiceConfig config, ObjectMapper mapper,
                        RunViews runs) {
        this.registry = registry;
        this.limits = limits;
        this.config = config;
        this.mapper = mapper;
        this.runs = runs;
    }

    /**
     * Registers a model: {@code archive} (.zip or .tar.gz holding a SavedModel at its root or in one
     * top-level folder) and {@code descriptor} (lumen-model.json; null when the archive holds one).
     *
     * @throws ProblemException 400 for a bad name or a missing archive, 413 {@code archive-too-large},
     *     422 for a refused archive or descriptor
     */
    public ModelView upload(String tenantId, String name, UploadedFile archive, UploadedFile descriptor) {
        if (name == null || name.isBlank() || name.length() > 200) {
            throw ProblemException.badField("name", "must be 1-200 characters");
        }
        if (archive == null) {
            throw ProblemException.badField("archive", "a .zip or .tar.gz SavedModel is required");
        }
        if (archive.size() > limits.maxArchiveBytes()) {
            throw new ProblemException(413, "archive-too-large", "Archive too large", "archive: " + archive.size()
                    + " bytes; at most " + limits.maxArchiveBytes() + " are accepted", List.of());
        }
        if (descriptor != null && descriptor.size() > MAX_DESCRIPTOR_BYTES) {
            throw ProblemException.badField("descriptor", "at most " + MAX_DESCRIPTOR_BYTES + " bytes");
        }
        Path work = null;
        try {
            work = Files.createTempDirectory("lumen-model-");
            Path unpacked = Files.createDirectory(work.resolve("unpacked"));
            Path modelDir;
            try {
                modelDir = new ModelArchive(limits.maxUncompressedBytes(), limits.maxEntries(), limits.maxCompressionRatio())
                        .unpack(archive.path(), unpacked);
            } catch (ModelArchive.RefusedException e) {
                throw new ProblemException(422, e.kind(), "Archive refused", e.getMessage(),
                        List.of(new Problem.FieldProblem("archive", e.getMessage())));
            }
            GraphVetting.VettedGraph graph = vet(modelDir);
            byte[] descriptorBytes = descriptorBytes(descriptor, modelDir);
            ObjectNode parsed;
            try {
                parsed = ModelDescriptorCheck.parse(descriptorBytes, mapper);
                ModelDescriptorCheck.matchesGraph(parsed, Files.readAllBytes(modelDir.resolve("saved_model.pb")));
                ModelDescriptorCheck.targetLayerIn(parsed, graph);
                ModelDescriptorCheck.layoutMatchesGraph(descriptorBytes, modelDir);
                ModelDescriptorCheck.groupsMatchGraph(descriptorBytes, modelDir);
            } catch (ModelDescriptorCheck.InvalidException e) {
                throw new ProblemException(422, e.contradictsGraph() ? "descriptor-contradicts-graph" : "invalid-descriptor",
                        "Descriptor refused", e.getMessage(), List.of(new Problem.FieldProblem(e.field(), e.getMessage())));
            }
            // Ours, never the uploader's: a listing in the archive could make any targetLayer pass.
            Path operations = modelDir.resolve(ModelRegistry.OPERATIONS_FILE);
            Files.deleteIfExists(operations);
            if (graph.complete()) {
                Files.writeString(operations, String.join("\n", new TreeSet<>(graph.operations())) + "\n",
                        StandardCharsets.UTF_8);
            }
            String modelId = "mdl-" + UUID.randomUUID();
            ModelRegistry.Digest digest = registry.save(modelId, tenantId, name.strip(), modelDir, parsed);
            LOG.infof("model %s: registered for tenant %s (%d files, %d bytes, %s)", modelId, tenantId,
                    digest.files().size(), digest.sizeBytes(), digest.contentDigest());
            return ModelView.of(new ModelRegistry.StoredModel(modelId, digest, parsed));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot unpack model archive: " + e.getMessage(), e);
        } finally {
            delete(work);
        }
    }

    /**
     * The graph policy a worker applies before loading a model (see explainer-core's
     * {@link GraphVetting}), applied before anything is stored.
     *
     * @throws ProblemException 422 {@code graph-operation-refused} naming the operation and its node,
     *     422 {@code invalid-saved-model} when saved_model.pb is not a readable SavedModel
     */
    private static GraphVetting.VettedGraph vet(Path modelDir) {
        try {
            return GraphVetting.vet(modelDir);
        } catch (RefusedOperationException e) {
            String message = "saved_model.pb: " + e.location() + " runs operation " + e.operation() + " in node '"
                    + e.node() + "', which models may not contain";
            throw new ProblemException(422, "graph-operation-refused", "Model refused", e.getMessage(),
                    List.of(new Problem.FieldProblem("archive", message)));
        } catch (ModelLoadException e) {
            String message = "saved_model.pb is not a TensorFlow SavedModel with a 'serve' graph: "
                    + e.getMessage().replace(modelDir.toString(), "archive");
            throw new ProblemException(422, "invalid-saved-model", "Model refused", message,
                    List.of(new Problem.FieldProblem("archive", message)));
        }
    }

    /** The tenant's models. */
    public List<ModelView> list(String tenantId) {
        return registry.all().stream().filter(m -> owned(m, tenantId)).map(ModelView::of).toList();
    }

    /**
     * One of the tenant's models: descriptor summary, digest, size, creation time.
     *
     * @throws ProblemException 404 {@code model-not-found}
     */
    public ModelView show(String tenantId, String modelId) {
        return (Ids.valid(modelId) ? registry.find(modelId) : Optional.<ModelRegistry.StoredModel>empty())
                .filter(m -> owned(m, tenantId)).map(ModelView::of)
                .orElseThrow(() -> ProblemException.notFound("model-not-found", "model '" + modelId + "' does not exist"));
    }

    /**
     * Deletes one of the tenant's models (its files, descriptor and digest) when none of its runs is
     * queued or running; finished runs keep their results, which name the model by id.
     *
     * @param by who asked, for the log
     * @throws ProblemException 404 {@code model-not-found}, 409 {@code model-in-use} while a run of it
     *     is queued or running
     */
    public void delete(String tenantId, String modelId, String by) {
        show(tenantId, modelId);
        List<String> active = runs.list(tenantId, run -> !run.state().terminal()
                && modelId.equals(RunView.of(run, "").model())).stream().map(run -> run.runId()).toList();
        if (!active.isEmpty()) {
            throw ProblemException.conflict("model-in-use", "model '" + modelId + "' is used by " + active.size()
                    + " run(s) in progress (" + String.join(", ", active.subList(0, Math.min(5, active.size())))
                    + "); cancel them or let them finish first");
        }
        int removed = registry.delete(modelId);
        LOG.infof("model %s: deleted by %s (%d stored objects removed)", modelId, by, removed);
    }

    private boolean owned(ModelRegistry.StoredModel model, String tenantId) {
        String owner = model.descriptor().path("tenant").isTextual() ? model.descriptor().get("tenant").asText() : null;
        return (owner == null ? config.defaultTenant() : owner).equals(tenantId);
    }

    private static byte[] descriptorBytes(UploadedFile descriptor, Path modelDir) throws IOException {
        if (descriptor != null) {
            return Files.readAllBytes(descriptor.path());
        }
        Path inside = modelDir.resolve(ModelRegistry.DESCRIPTOR_FILE);
        if (!Files.isRegularFile(inside)) {
            throw new ProblemException(422, "missing-descriptor", "Descriptor refused",
                    "descriptor: no lumen-model.json part and none next to saved_model.pb in the archive",
                    List.of(new Problem.FieldProblem("descriptor", "lumen-model.json is required")));
        }
        if (Files.size(inside) > MAX_DESCRIPTOR_BYTES) {
            throw ProblemException.badField("descriptor", "at most " + MAX_DESCRIPTOR_BYTES + " bytes");
        }
        return Files.readAllBytes(inside);
    }

    private static void delete(Path dir) {
        if (dir == null) {
            return;
        }
        try (Stream<Path> files = Files.walk(dir)) {
            files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException e) {
            LOG.warnf("cannot remove %s: %s", dir, e.getMessage());
        }
    }
}
