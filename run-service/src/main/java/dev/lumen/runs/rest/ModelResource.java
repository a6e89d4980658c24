package dev.lumen.runs.rest;

import dev.lumen.runs.service.ModelService;
import dev.lumen.service.auth.CurrentTenant;
import io.quarkus.security.Authenticated;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
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
import org.jboss.resteasy.reactive.RestForm;
import org.jboss.resteasy.reactive.multipart.FileUpload;

import java.net.URI;
import java.util.List;

/**
 * The model registry of the caller's tenant over HTTP: maps {@code /api/models} onto
 * {@link ModelService} (upload, list, show, delete).
 */
@Path("/api/models")
@Produces(MediaType.APPLICATION_JSON)
@Authenticated
@Tag(name = "models")
@SecurityRequirement(name = "SecurityScheme")
public class ModelResource {

    private final ModelService models;
    private final CurrentTenant tenant;

    public ModelResource(ModelService models, CurrentTenant tenant) {
        this.models = models;
        this.tenant = tenant;
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
        ModelView view = models.upload(tenant.id(), name, Uploads.of(archive), Uploads.of(descriptor));
        return Response.created(URI.create("/api/models/" + view.modelId())).entity(view).build();
    }

    /** The caller's models. */
    @GET
    @Operation(summary = "List models")
    public List<ModelView> list() {
        return models.list(tenant.id());
    }

    /** One of the caller's models: descriptor summary, digest, size, creation time. */
    @GET
    @Path("{id}")
    @Operation(summary = "Show a model")
    public ModelView show(@PathParam("id") String modelId) {
        return models.show(tenant.id(), modelId);
    }

    /** Deletes a model (204) unless a run of it is queued or running (409 {@code model-in-use}). */
    @DELETE
    @Path("{id}")
    @Operation(summary = "Delete a model", description = "Refused with 409 while a run of the model is queued or running.")
    public Response delete(@PathParam("id") String modelId) {
        models.delete(tenant.id(), modelId, tenant.subject());
        return Response.noContent().build();
    }
}
