package dev.lumen.runs.rest;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.lumen.runs.config.ModelConfig;
import dev.lumen.runs.config.RunServiceConfig;
import dev.lumen.runs.domain.ModelArchive;
import dev.lumen.runs.domain.ModelDescriptorCheck;
import dev.lumen.runs.storage.ModelRegistry;
import dev.lumen.service.auth.CurrentTenant;
import dev.lumen.service.rest.Problem;
import dev.lumen.service.rest.ProblemException;
import io.quarkus.security.Authenticated;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.security.SecurityRequirement;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;
import org.jboss.logging.Logger;
import org.jboss.resteasy.reactive.RestForm;
import org.jboss.resteasy.reactive.multipart.FileUpload;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.file.Files;
import java.util.Comparator;
import java.util.List;
import java.util.UUID;
import java.util.stream.Stream;

/**
 * The model registry of the caller's tenant: upload a SavedModel archive with its descriptor, list and
 * show models. Archives are untrusted: they are unpacked into a temporary folder under limits
 * ({@code lumen.models.*}) and validated completely before anything is written to object storage, so a
 * refused upload stores nothing.
 */
@Path("/api/models")
@Produces(MediaType.APPLICATION_JSON)
@Authenticated
@Tag(name = "models")
@SecurityRequirement(name = "SecurityScheme")
public class ModelResource {

    private static final Logger LOG = Logger.getLogger(ModelResource.class);
    private static final long MAX_DESCRIPTOR_BYTES = 1024 * 1024;

    private final ModelRegistry registry;
    private final CurrentTenant tenant;
    private final ModelConfig limits;
    private final RunServiceConfig config;
    private final ObjectMapper mapper;

    public ModelResource(ModelRegistry registry, CurrentTenant tenant, ModelConfig limits, RunServiceConfig config,
                         ObjectMapper mapper) {
        this.registry = registry;
        this.tenant = tenant;
        this.limits = limits;
        this.config = config;
        this.mapper = mapper;
    }

    /**
     * Registers a model (201): multipart {@code name}, {@code archive} (.zip or .tar.gz holding a
     * SavedModel at its root or in one top-level folder) and {@code descriptor} (lumen-model.json;
     * optional when the archive holds one).
     */
    @POST
    @Consumes(MediaType.MULTIPART_FORM_DATA)
    @Operation(summary = "Upload a model", description = "multipart/form-data: name, archive (.zip or .tar.gz SavedModel), descriptor (lumen-model.json, optional when inside the archive).")
    public Response upload(@RestForm("name") String name, @RestForm("archive") FileUpload archive,
                           @RestForm("descriptor") FileUpload descriptor) {
        String tenantId = tenant.id();
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
        java.nio.file.Path work = null;
        try {
            work = Files.createTempDirectory("lumen-model-");
            java.nio.file.Path unpacked = Files.createDirectory(work.resolve("unpacked"));
            java.nio.file.Path modelDir;
            try {
                modelDir = new ModelArchive(limits.maxUncompressedBytes(), limits.maxEntries(), limits.maxCompressionRatio())
                        .unpack(archive.uploadedFile(), unpacked);
            } catch (ModelArchive.RefusedException e) {
                throw new ProblemException(422, e.kind(), "Archive refused", e.getMessage(),
                        List.of(new Problem.FieldProblem("archive", e.getMessage())));
            }
            byte[] descriptorBytes = descriptorBytes(descriptor, modelDir);
            ObjectNode parsed;
            try {
                parsed = ModelDescriptorCheck.parse(descriptorBytes, mapper);
                ModelDescriptorCheck.matchesGraph(parsed, Files.readAllBytes(modelDir.resolve("saved_model.pb")));
            } catch (ModelDescriptorCheck.InvalidException e) {
                throw new ProblemException(422, e.contradictsGraph() ? "descriptor-contradicts-graph" : "invalid-descriptor",
                        "Descriptor refused", e.getMessage(), List.of(new Problem.FieldProblem(e.field(), e.getMessage())));
            }
            String modelId = "mdl-" + UUID.randomUUID();
            ModelRegistry.Digest digest = registry.save(modelId, tenantId, name.strip(), modelDir, parsed);
            LOG.infof("model %s: registered for tenant %s (%d files, %d bytes, %s)", modelId, tenantId,
                    digest.files().size(), digest.sizeBytes(), digest.contentDigest());
            ModelView view = ModelView.of(new ModelRegistry.StoredModel(modelId, digest, parsed));
            return Response.created(URI.create("/api/models/" + modelId)).entity(view).build();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot unpack model archive: " + e.getMessage(), e);
        } finally {
            delete(work);
        }
    }

    /** The caller's models. */
    @GET
    @Operation(summary = "List models")
    public List<ModelView> list() {
        String tenantId = tenant.id();
        return registry.all().stream().filter(m -> owned(m, tenantId)).map(ModelView::of).toList();
    }

    /** One of the caller's models: descriptor summary, digest, size, creation time. */
    @GET
    @Path("{id}")
    @Operation(summary = "Show a model")
    public ModelView show(@PathParam("id") String modelId) {
        String tenantId = tenant.id();
        return (Ids.valid(modelId) ? registry.find(modelId) : java.util.Optional.<ModelRegistry.StoredModel>empty())
                .filter(m -> owned(m, tenantId)).map(ModelView::of)
                .orElseThrow(() -> ProblemException.notFound("model-not-found", "model '" + modelId + "' does not exist"));
    }

    private boolean owned(ModelRegistry.StoredModel model, String tenantId) {
        String owner = model.descriptor().path("tenant").isTextual() ? model.descriptor().get("tenant").asText() : null;
        return (owner == null ? config.defaultTenant() : owner).equals(tenantId);
    }

    private static byte[] descriptorBytes(FileUpload descriptor, java.nio.file.Path modelDir) throws IOException {
        if (descriptor != null) {
            return Files.readAllBytes(descriptor.uploadedFile());
        }
        java.nio.file.Path inside = modelDir.resolve(ModelRegistry.DESCRIPTOR_FILE);
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

    private static void delete(java.nio.file.Path dir) {
        if (dir == null) {
            return;
        }
        try (Stream<java.nio.file.Path> files = Files.walk(dir)) {
            files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException e) {
            LOG.warnf("cannot remove %s: %s", dir, e.getMessage());
        }
    }
}
