package dev.lumen.runs.rest;

import dev.lumen.runs.service.DatasetService;
import dev.lumen.runs.service.IdempotentCommand;
import dev.lumen.runs.service.UploadedFile;
import dev.lumen.service.auth.CurrentTenant;
import io.quarkus.security.Authenticated;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotNull;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
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
 * Datasets of the caller's tenant over HTTP: maps {@code /api/datasets} onto {@link DatasetService}
 * (upload, register, list, show).
 */
@Path("/api/datasets")
@Produces(MediaType.APPLICATION_JSON)
@Authenticated
@Tag(name = "datasets")
@SecurityRequirement(name = "SecurityScheme")
public class DatasetResource {

    private final DatasetService datasets;
    private final CurrentTenant tenant;

    public DatasetResource(DatasetService datasets, CurrentTenant tenant) {
        this.datasets = datasets;
        this.tenant = tenant;
    }

    /**
     * Uploads a dataset (201): a {@code name} field, any number of image files, and optionally a COCO
     * JSON file in the part {@code groundTruth}.
     */
    @POST
    @Consumes(MediaType.MULTIPART_FORM_DATA)
    @Operation(summary = "Upload a dataset", description = "multipart/form-data: name, image files, optional groundTruth (COCO JSON).")
    public Response upload(@RestForm("name") String name, @RestForm(FileUpload.ALL) List<FileUpload> files,
                           @HeaderParam(IdempotencyKeys.HEADER) String idempotencyKey) {
        String tenantId = tenant.id();
        List<UploadedFile> parts = files == null ? null : files.stream().map(Uploads::of).toList();
        return created(datasets.upload(tenantId, name, parts, idempotencyKey));
    }

    /** Registers images already in the bucket under {@code imports/{tenant}/...} as a dataset (201). */
    @POST
    @Consumes(MediaType.APPLICATION_JSON)
    @Operation(summary = "Register an existing S3 prefix as a dataset")
    public Response register(@Valid @NotNull(message = "a JSON body is required") RegisterDatasetRequest body,
                             @HeaderParam(IdempotencyKeys.HEADER) String idempotencyKey) {
        return created(datasets.register(tenant.id(), body, idempotencyKey));
    }

    /** The caller's datasets with their counts. */
    @GET
    @Operation(summary = "List datasets")
    public List<DatasetView> list() {
        return datasets.list(tenant.id());
    }

    /** One of the caller's datasets. */
    @GET
    @Path("{id}")
    @Operation(summary = "Show a dataset")
    public DatasetView show(@PathParam("id") String datasetId) {
        return datasets.show(tenant.id(), datasetId);
    }

    private static Response created(IdempotentCommand.Outcome<DatasetView> outcome) {
        DatasetView view = outcome.answer();
        return IdempotencyKeys.marked(Response.created(URI.create("/api/datasets/" + view.datasetId())).entity(view),
                outcome).build();
    }
}
