package dev.lumen.runs.rest;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.lumen.runs.config.DatasetConfig;
import dev.lumen.runs.config.RunServiceConfig;
import dev.lumen.runs.domain.CocoGroundTruth;
import dev.lumen.runs.domain.Dataset;
import dev.lumen.runs.domain.DatasetImage;
import dev.lumen.runs.domain.ImageInspector;
import dev.lumen.runs.storage.DatasetCatalog;
import dev.lumen.runs.storage.IdempotencyStore;
import dev.lumen.service.auth.CurrentTenant;
import dev.lumen.service.rest.Problem;
import dev.lumen.service.rest.ProblemException;
import dev.lumen.service.storage.ObjectStore;
import io.micrometer.core.instrument.MeterRegistry;
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
import org.jboss.logging.Logger;
import org.jboss.resteasy.reactive.RestForm;
import org.jboss.resteasy.reactive.multipart.FileUpload;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.function.Function;

/**
 * Datasets of the caller's tenant: upload images (and COCO ground truth) at once, or register images
 * already in the bucket; list and show them with their counts. Every image is checked on the way in
 * (readable header, size, pixel count); refused files are reported one by one and the rest is kept.
 */
@Path("/api/datasets")
@Produces(MediaType.APPLICATION_JSON)
@Authenticated
@Tag(name = "datasets")
@SecurityRequirement(name = "SecurityScheme")
public class DatasetResource {

    private static final Logger LOG = Logger.getLogger(DatasetResource.class);
    /** The multipart part that carries ground truth; every other file part is an image. */
    static final String GROUND_TRUTH_PART = "groundTruth";
    /** Enough of an image to read any header ImageIO needs (JPEG headers may follow large EXIF blocks). */
    private static final long HEADER_BYTES = 1024 * 1024;

    private final DatasetCatalog catalog;
    private final ObjectStore store;
    private final IdempotencyKeys idempotency;
    private final IdempotencyStore idempotencyStore;
    private final CurrentTenant tenant;
    private final DatasetConfig limits;
    private final RunServiceConfig config;
    private final ObjectMapper mapper;
    private final MeterRegistry metrics;
    private final ImageInspector inspector;

    public DatasetResource(DatasetCatalog catalog, ObjectStore store, IdempotencyKeys idempotency,
                           IdempotencyStore idempotencyStore, CurrentTenant tenant, DatasetConfig limits,
                           RunServiceConfig config, ObjectMapper mapper, MeterRegistry metrics) {
        this.catalog = catalog;
        this.store = store;
        this.idempotency = idempotency;
        this.idempotencyStore = idempotencyStore;
        this.tenant = tenant;
        this.limits = limits;
        this.config = config;
        this.mapper = mapper;
        this.metrics = metrics;
        this.inspector = new ImageInspector(limits.maxImageBytes(), limits.maxImagePixels());
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
        checkName(name);
        List<FileUpload> parts = files == null ? List.of() : files;
        if (parts.stream().noneMatch(part -> !GROUND_TRUTH_PART.equals(part.name()))) {
            throw ProblemException.badField("files", "at least one image file is required");
        }
        return idempotent(tenantId, idempotencyKey, () -> uploadHash(name, parts),
                datasetId -> storeUpload(tenantId, datasetId, name.strip(), parts));
    }

    /** Registers images already in the bucket under {@code imports/{tenant}/...} as a dataset (201). */
    @POST
    @Consumes(MediaType.APPLICATION_JSON)
    @Operation(summary = "Register an existing S3 prefix as a dataset")
    public Response register(@Valid @NotNull(message = "a JSON body is required") RegisterDatasetRequest body,
                             @HeaderParam(IdempotencyKeys.HEADER) String idempotencyKey) {
        String tenantId = tenant.id();
        String prefix = body.s3Prefix().endsWith("/") ? body.s3Prefix() : body.s3Prefix() + "/";
        String allowed = "imports/" + tenantId + "/";
        if (!prefix.startsWith(allowed) || prefix.contains("//") || prefix.contains("/../") || prefix.contains("/./")) {
            throw ProblemException.badField("s3Prefix", "must be a folder under " + allowed);
        }
        return idempotent(tenantId, idempotencyKey, () -> IdempotencyStore.sha256(json(body)),
                datasetId -> storeRegistration(tenantId, datasetId, body.name().strip(), prefix));
    }

    /** The caller's datasets with their counts. */
    @GET
    @Operation(summary = "List datasets")
    public List<DatasetView> list() {
        return catalog.list(tenant.id(), config.defaultTenant()).stream().map(DatasetView::of).toList();
    }

    /** One of the caller's datasets. */
    @GET
    @Path("{id}")
    @Operation(summary = "Show a dataset")
    public DatasetView show(@PathParam("id") String datasetId) {
        String tenantId = tenant.id();
        Optional<Dataset> dataset = Ids.valid(datasetId) ? catalog.find(datasetId) : Optional.empty();
        return dataset.filter(d -> d.ownedBy(tenantId, config.defaultTenant())).map(DatasetView::of)
                .orElseThrow(() -> ProblemException.notFound("dataset-not-found", "dataset '" + datasetId + "' does not exist"));
    }

    /**
     * Runs {@code create} once per Idempotency-Key: a retry of a finished request replays its answer; a
     * retry of one that stopped half-way redoes it under the same dataset id (every write is an
     * overwrite, so redoing converges).
     */
    private Response idempotent(String tenantId, String key, java.util.function.Supplier<String> requestHash,
                                Function<String, DatasetView> create) {
        if (key == null) {
            return created(create.apply(newId()), false);
        }
        String hash = requestHash.get();
        return idempotency.locked(tenantId, key, () -> {
            Optional<IdempotencyStore.Entry> earlier = idempotency.earlier(tenantId, key, "dataset", hash);
            if (earlier.isPresent() && earlier.get().state() == IdempotencyStore.State.DONE) {
                return created(mapper.convertValue(earlier.get().response(), DatasetView.class), true);
            }
            String datasetId = earlier.map(IdempotencyStore.Entry::resourceId).orElseGet(DatasetResource::newId);
            IdempotencyStore.Entry pending = new IdempotencyStore.Entry("dataset", hash, IdempotencyStore.State.PENDING,
                    datasetId, null, null, Instant.now());
            idempotencyStore.save(tenantId, key, pending);
            DatasetView view;
            try {
                view = create.apply(datasetId);
            } catch (ProblemException e) {
                // Nothing was created: the key stays free for a corrected request.
                idempotencyStore.remove(tenantId, key);
                throw e;
            }
            idempotencyStore.save(tenantId, key, new IdempotencyStore.Entry("dataset", hash, IdempotencyStore.State.DONE,
                    datasetId, null, mapper.valueToTree(view), pending.createdAt()));
            return created(view, false);
        });
    }

    private DatasetView storeUpload(String tenantId, String datasetId, String name, List<FileUpload> parts) {
        List<Dataset.FileProblem> rejected = new ArrayList<>();
        Set<String> accepted = new LinkedHashSet<>();
        FileUpload groundTruth = null;
        for (FileUpload part : parts) {
            String file = part.fileName() == null ? "" : CocoGroundTruth.baseName(part.fileName());
            if (GROUND_TRUTH_PART.equals(part.name())) {
                if (groundTruth != null) {
                    rejected.add(new Dataset.FileProblem(file, "only one ground-truth file is accepted"));
                } else {
                    groundTruth = part;
                }
                continue;
            }
            String problem = nameProblem(file, accepted);
            if (problem == null && part.size() > limits.maxImageBytes()) {
                problem = "file has " + part.size() + " bytes; at most " + limits.maxImageBytes() + " are accepted";
            }
            if (problem == null && accepted.size() >= limits.maxImages()) {
                problem = "the dataset already holds the most images accepted (" + limits.maxImages() + ")";
            }
            if (problem != null) {
                rejected.add(new Dataset.FileProblem(file.isEmpty() ? "(unnamed)" : file, problem));
                continue;
            }
            byte[] bytes = read(part);
            ImageInspector.Inspection inspection = inspector.inspect(bytes, bytes.length);
            if (!inspection.accepted()) {
                rejected.add(new Dataset.FileProblem(file, inspection.problem()));
                continue;
            }
            catalog.putImage(datasetId, file, bytes, inspection.format());
            accepted.add(file);
        }
        if (accepted.isEmpty()) {
            throw noImages(rejected);
        }
        int annotated = 0;
        int classes = 0;
        boolean storedGroundTruth = false;
        if (groundTruth != null) {
            String file = groundTruth.fileName() == null ? GROUND_TRUTH_PART : CocoGroundTruth.baseName(groundTruth.fileName());
            if (groundTruth.size() > limits.maxGroundTruthBytes()) {
                rejected.add(new Dataset.FileProblem(file, "ground truth has " + groundTruth.size()
                        + " bytes; at most " + limits.maxGroundTruthBytes() + " are accepted"));
            } else {
                byte[] json = read(groundTruth);
                CocoGroundTruth.Summary summary = CocoGroundTruth.validate(json, accepted, mapper);
                if (summary.valid()) {
                    catalog.putGroundTruth(datasetId, json);
                    storedGroundTruth = true;
                    annotated = summary.annotatedFiles().size();
                    classes = summary.classes();
                } else {
                    rejected.add(new Dataset.FileProblem(file, "invalid COCO ground truth: "
                            + String.join("; ", summary.problems())));
                }
            }
        }
        Dataset dataset = new Dataset(datasetId, name, tenantId, Dataset.SOURCE_UPLOAD, DatasetCatalog.imagesPrefix(datasetId),
                accepted.size(), annotated, classes, storedGroundTruth, Instant.now(), List.copyOf(rejected));
        catalog.save(dataset);
        metrics.counter("lumen.datasets.created").increment();
        LOG.infof("dataset %s: %d images stored for tenant %s, %d files refused", datasetId, accepted.size(), tenantId,
                rejected.size());
        return DatasetView.of(dataset);
    }

    private DatasetView storeRegistration(String tenantId, String datasetId, String name, String prefix) {
        List<DatasetImage> candidates = catalog.imagesUnder(prefix);
        if (candidates.isEmpty()) {
            throw ProblemException.unprocessable("dataset-empty", "no images (png, jpg, jpeg, bmp, gif) directly under " + prefix);
        }
        if (candidates.size() > limits.maxImages()) {
            throw ProblemException.unprocessable("dataset-too-large", prefix + " holds " + candidates.size()
                    + " images; at most " + limits.maxImages() + " are accepted");
        }
        List<Dataset.FileProblem> rejected = new ArrayList<>();
        int accepted = 0;
        for (DatasetImage image : candidates) {
            long size = store.size(image.key()).orElse(0L);
            byte[] header = size > limits.maxImageBytes() ? new byte[0] : store.head(image.key(), HEADER_BYTES).orElse(new byte[0]);
            ImageInspector.Inspection inspection = inspector.inspect(header, size);
            if (inspection.accepted()) {
                accepted++;
            } else {
                rejected.add(new Dataset.FileProblem(image.imageId(), inspection.problem()));
            }
        }
        if (accepted == 0) {
            throw noImages(rejected);
        }
        Dataset dataset = new Dataset(datasetId, name, tenantId, Dataset.SOURCE_S3, prefix, accepted, 0, 0, false,
                Instant.now(), List.copyOf(rejected));
        catalog.save(dataset);
        metrics.counter("lumen.datasets.created").increment();
        LOG.infof("dataset %s: registered %s for tenant %s (%d images, %d refused)", datasetId, prefix, tenantId, accepted,
                rejected.size());
        return DatasetView.of(dataset);
    }

    private static ProblemException noImages(List<Dataset.FileProblem> rejected) {
        return new ProblemException(422, "no-valid-images", "Request cannot be carried out",
                "none of the files is an acceptable image", rejected.stream()
                .map(p -> new Problem.FieldProblem(p.file(), p.reason())).toList());
    }

    private static String nameProblem(String file, Set<String> accepted) {
        if (!Ids.valid(file)) {
            return "file name must be 1-128 letters, digits, '.', '_' or '-'";
        }
        if (!ImageInspector.hasImageExtension(file)) {
            return "file name must end in .png, .jpg, .jpeg, .bmp or .gif";
        }
        if (accepted.contains(file)) {
            return "another file of this upload has the same name";
        }
        return null;
    }

    private static void checkName(String name) {
        if (name == null || name.isBlank()) {
            throw ProblemException.badField("name", "must not be blank");
        }
        if (name.length() > 200) {
            throw ProblemException.badField("name", "size must be between 0 and 200");
        }
    }

    /** A digest of the whole upload: the name and every part's name, file name and content. */
    private static String uploadHash(String name, List<FileUpload> parts) {
        ByteArrayOutputStream digestInput = new ByteArrayOutputStream();
        digestInput.writeBytes((name + "\n").getBytes(StandardCharsets.UTF_8));
        for (FileUpload part : parts) {
            digestInput.writeBytes((part.name() + "\n" + part.fileName() + "\n"
                    + IdempotencyStore.sha256(read(part)) + "\n").getBytes(StandardCharsets.UTF_8));
        }
        return IdempotencyStore.sha256(digestInput.toByteArray());
    }

    private static byte[] read(FileUpload part) {
        try {
            return Files.readAllBytes(part.uploadedFile());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read uploaded file " + part.fileName(), e);
        }
    }

    private byte[] json(Object value) {
        try {
            return mapper.writeValueAsBytes(value);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    private static String newId() {
        return "ds-" + UUID.randomUUID();
    }

    private static Response created(DatasetView view, boolean replayed) {
        Response.ResponseBuilder builder = Response.created(URI.create("/api/datasets/" + view.datasetId())).entity(view);
        if (replayed) {
            builder.header(IdempotencyKeys.REPLAYED, "true");
        }
        return builder.build();
    }
}
