package dev.lumen.runs.service;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.lumen.runs.config.DatasetConfig;
import dev.lumen.runs.config.RunServiceConfig;
import dev.lumen.runs.domain.CocoGroundTruth;
import dev.lumen.runs.domain.DatasetTags;
import dev.lumen.runs.domain.Dataset;
import dev.lumen.runs.domain.DatasetImage;
import dev.lumen.runs.domain.Ids;
import dev.lumen.runs.domain.ImageInspector;
import dev.lumen.runs.rest.DatasetView;
import dev.lumen.runs.rest.RegisterDatasetRequest;
import dev.lumen.runs.storage.DatasetCatalog;
import dev.lumen.runs.storage.IdempotencyStore;
import dev.lumen.service.rest.Problem;
import dev.lumen.service.rest.ProblemException;
import dev.lumen.service.storage.ObjectStore;
import io.micrometer.core.instrument.MeterRegistry;
import jakarta.enterprise.context.ApplicationScoped;
import org.jboss.logging.Logger;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * Datasets of one tenant: upload images (and COCO ground truth) at once, or register images already
 * in the bucket; list and show them with their counts. Every image is checked on the way in (size,
 * pixel count, decoded completely: truncated or damaged files and unsupported colour types are
 * refused); refused files are reported one by one with the reason and the rest is kept, and a
 * dataset with no usable image is refused as a whole. Creating a
 * dataset is idempotent per {@code Idempotency-Key}: every write is an overwrite, so redoing an
 * interrupted upload under the same dataset id converges.
 */
@ApplicationScoped
public class DatasetService {

    /** The multipart part that carries ground truth; every other file part is an image. */
    public static final String GROUND_TRUTH_PART = "groundTruth";

    private static final Logger LOG = Logger.getLogger(DatasetService.class);

    private final DatasetCatalog catalog;
    private final ObjectStore store;
    private final IdempotentCommand idempotency;
    private final DatasetConfig limits;
    private final RunServiceConfig config;
    private final ObjectMapper mapper;
    private final MeterRegistry metrics;
    private final ImageInspector inspector;

    public DatasetService(DatasetCatalog catalog, ObjectStore store, IdempotentCommand idempotency,
                          DatasetConfig limits, RunServiceConfig config, ObjectMapper mapper, MeterRegistry metrics) {
        this.catalog = catalog;
        this.store = store;
        this.idempotency = idempotency;
        this.limits = limits;
        this.config = config;
        this.mapper = mapper;
        this.metrics = metrics;
        this.inspector = new ImageInspector(limits.maxImageBytes(), limits.maxImagePixels());
    }

    /**
     * Stores an uploaded dataset: {@code files} holds the images and, in part {@link #GROUND_TRUTH_PART},
     * optionally one COCO JSON file.
     *
     * @throws ProblemException 400 for a bad name or no image part, 422 {@code no-valid-images} when no
     *     file is an acceptable image
     */
    public IdempotentCommand.Outcome<DatasetView> upload(String tenantId, String name, List<UploadedFile> files,
                                                         String idempotencyKey) {
        checkName(name);
        List<UploadedFile> parts = files == null ? List.of() : files;
        if (parts.stream().noneMatch(part -> !GROUND_TRUTH_PART.equals(part.part()))) {
            throw ProblemException.badField("files", "at least one image file is required");
        }
        return idempotency.run(tenantId, idempotencyKey, creation(() -> uploadHash(name, parts),
                datasetId -> storeUpload(tenantId, datasetId, name.strip(), parts)));
    }

    /**
     * Registers the images directly under {@code imports/{tenant}/...} as a dataset.
     *
     * @throws ProblemException 400 for a prefix outside the tenant's imports, 422 {@code dataset-empty},
     *     {@code dataset-too-large} or {@code no-valid-images}
     */
    public IdempotentCommand.Outcome<DatasetView> register(String tenantId, RegisterDatasetRequest body,
                                                           String idempotencyKey) {
        String prefix = body.s3Prefix().endsWith("/") ? body.s3Prefix() : body.s3Prefix() + "/";
        String allowed = "imports/" + tenantId + "/";
        if (!prefix.startsWith(allowed) || prefix.contains("//") || prefix.contains("/../") || prefix.contains("/./")) {
            throw ProblemException.badField("s3Prefix", "must be a folder under " + allowed);
        }
        return idempotency.run(tenantId, idempotencyKey, creation(() -> idempotency.digest(body),
                datasetId -> storeRegistration(tenantId, datasetId, body.name().strip(), prefix)));
    }

    /** The tenant's datasets with their counts. */
    public List<DatasetView> list(String tenantId) {
        return catalog.list(tenantId, config.defaultTenant()).stream().map(DatasetView::of).toList();
    }

    /**
     * One of the tenant's datasets.
     *
     * @throws ProblemException 404 {@code dataset-not-found}
     */
    public DatasetView show(String tenantId, String datasetId) {
        Optional<Dataset> dataset = Ids.valid(datasetId) ? catalog.find(datasetId) : Optional.empty();
        return dataset.filter(d -> d.ownedBy(tenantId, config.defaultTenant())).map(DatasetView::of)
                .orElseThrow(() -> ProblemException.notFound("dataset-not-found", "dataset '" + datasetId + "' does not exist"));
    }

    /** A dataset's creation: the id is chosen first, the view is known once the files are stored. */
    private static IdempotentCommand.Steps<DatasetView> creation(Supplier<String> requestHash,
                                                                Function<String, DatasetView> create) {
        return new IdempotentCommand.Steps<>("dataset", DatasetView.class, requestHash,
                () -> new IdempotentCommand.Prepared<>(newId(), null, null),
                prepared -> create.apply(prepared.resourceId()));
    }

    private DatasetView storeUpload(String tenantId, String datasetId, String name, List<UploadedFile> parts) {
        List<Dataset.FileProblem> rejected = new ArrayList<>();
        Set<String> accepted = new LinkedHashSet<>();
        UploadedFile groundTruth = null;
        UploadedFile tagsCsv = null;
        for (UploadedFile part : parts) {
            String file = part.fileName() == null ? "" : CocoGroundTruth.baseName(part.fileName());
            if (DatasetTags.PART.equals(part.part())) {
                if (tagsCsv != null) {
                    rejected.add(new Dataset.FileProblem(file, "only one tags file is accepted"));
                } else {
                    tagsCsv = part;
                }
                continue;
            }
            if (GROUND_TRUTH_PART.equals(part.part())) {
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
            byte[] bytes = part.bytes();
            ImageInspector.Inspection inspection = inspector.decode(bytes);
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
                byte[] json = groundTruth.bytes();
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
        DatasetTags.Parsed tags = new DatasetTags.Parsed(Map.of(), List.of());
        if (storedGroundTruth) {
            tags = DatasetTags.fromCoco(catalog.groundTruth(datasetId).orElseThrow(), accepted, mapper);
        }
        if (tagsCsv != null) {
            String file = tagsCsv.fileName() == null ? DatasetTags.PART : CocoGroundTruth.baseName(tagsCsv.fileName());
            if (tagsCsv.size() > limits.maxGroundTruthBytes()) {
                rejected.add(new Dataset.FileProblem(file, "tags file has " + tagsCsv.size() + " bytes; at most "
                        + limits.maxGroundTruthBytes() + " are accepted"));
            } else {
                DatasetTags.Parsed fromCsv = DatasetTags.fromCsv(tagsCsv.bytes(), accepted);
                if (!fromCsv.problems().isEmpty()) {
                    rejected.add(new Dataset.FileProblem(file, "tags left out: " + String.join("; ", fromCsv.problems())));
                }
                tags = DatasetTags.merge(tags, fromCsv);
            }
        }
        if (!tags.byFile().isEmpty()) {
            catalog.putImageTags(datasetId, tags.byFile());
        }
        Dataset dataset = new Dataset(datasetId, name, tenantId, Dataset.SOURCE_UPLOAD, DatasetCatalog.imagesPrefix(datasetId),
                accepted.size(), annotated, classes, storedGroundTruth, Instant.now(), List.copyOf(rejected),
                tags.byFile().isEmpty() ? null : tags.counts());
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
            ImageInspector.Inspection inspection = size <= 0 || size > limits.maxImageBytes()
                    ? inspector.inspect(new byte[0], size)
                    : inspector.decode(store.get(image.key()).orElse(new byte[0]));
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
                Instant.now(), List.copyOf(rejected), null);
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
    private static String uploadHash(String name, List<UploadedFile> parts) {
        ByteArrayOutputStream digestInput = new ByteArrayOutputStream();
        digestInput.writeBytes((name + "\n").getBytes(StandardCharsets.UTF_8));
        for (UploadedFile part : parts) {
            digestInput.writeBytes((part.part() + "\n" + part.fileName() + "\n"
                    + IdempotencyStore.sha256(part.bytes()) + "\n").getBytes(StandardCharsets.UTF_8));
        }
        return IdempotencyStore.sha256(digestInput.toByteArray());
    }

    private static String newId() {
        return "ds-" + UUID.randomUUID();
    }
}
