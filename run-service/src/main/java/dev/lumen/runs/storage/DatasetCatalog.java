package dev.lumen.runs.storage;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.lumen.runs.domain.Dataset;
import dev.lumen.runs.domain.DatasetImage;
import dev.lumen.runs.domain.DatasetTags;
import dev.lumen.runs.domain.ImageInspector;
import dev.lumen.service.storage.ObjectStore;
import jakarta.enterprise.context.ApplicationScoped;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Datasets in object storage:
 * <pre>
 * datasets/{id}/dataset.json       name, tenant, source, counts, refused files
 * datasets/{id}/images/{file}      uploaded images (a registered dataset points at its own prefix)
 * datasets/{id}/ground-truth.json  COCO ground truth as uploaded, once it validated
 * </pre>
 * A folder with images but no {@code dataset.json} is a dataset seeded straight into storage; it
 * belongs to the default tenant.
 */
@ApplicationScoped
public class DatasetCatalog {

    private static final String ROOT = "datasets/";

    private final ObjectStore store;
    private final ObjectMapper mapper;

    public DatasetCatalog(ObjectStore store, ObjectMapper mapper) {
        this.store = store;
        this.mapper = mapper;
    }

    /** Key of a dataset's descriptor. */
    public static String descriptorKey(String datasetId) {
        return ROOT + datasetId + "/dataset.json";
    }

    /** Prefix of the images Lumen stores for a dataset. */
    public static String imagesPrefix(String datasetId) {
        return ROOT + datasetId + "/images/";
    }

    /** Key of a dataset's ground truth. */
    public static String groundTruthKey(String datasetId) {
        return ROOT + datasetId + "/ground-truth.json";
    }

    /** The dataset, from its descriptor or (for seeded datasets) its images; empty when unknown. */
    public Optional<Dataset> find(String datasetId) {
        Optional<byte[]> descriptor = store.get(descriptorKey(datasetId));
        if (descriptor.isPresent()) {
            return Optional.of(read(descriptor.get()));
        }
        String prefix = imagesPrefix(datasetId);
        List<DatasetImage> images = images(prefix);
        if (images.isEmpty()) {
            return Optional.empty();
        }
        boolean groundTruth = store.exists(groundTruthKey(datasetId));
        return Optional.of(new Dataset(datasetId, datasetId, null, Dataset.SOURCE_S3, prefix, images.size(), 0, 0,
                groundTruth, null, List.of(), null));
    }

    /** Every dataset visible to {@code tenant}, by id. */
    public List<Dataset> list(String tenant, String defaultTenant) {
        List<Dataset> datasets = new ArrayList<>();
        for (String id : store.listFolders(ROOT)) {
            find(id).filter(d -> d.ownedBy(tenant, defaultTenant)).ifPresent(datasets::add);
        }
        return datasets;
    }

    /** The dataset's images sorted by id (its file name), without the files it refused. */
    public List<DatasetImage> images(Dataset dataset) {
        java.util.Set<String> refused = new java.util.HashSet<>();
        if (dataset.rejected() != null) {
            dataset.rejected().forEach(problem -> refused.add(problem.file()));
        }
        return images(dataset.imagePrefix()).stream().filter(image -> !refused.contains(image.imageId())).toList();
    }

    /** Image keys directly under a registered prefix, for checking them. */
    public List<DatasetImage> imagesUnder(String prefix) {
        return images(prefix);
    }

    /** Stores the descriptor (last, so a dataset is visible only once its images are in place). */
    public void save(Dataset dataset) {
        try {
            store.put(descriptorKey(dataset.id()), mapper.writeValueAsBytes(dataset), "application/json");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Stores one uploaded image. */
    public void putImage(String datasetId, String file, byte[] bytes, String format) {
        store.put(imagesPrefix(datasetId) + file, bytes, "image/" + format);
    }

    /** The ground truth as uploaded, if the dataset has one. */
    public Optional<byte[]> groundTruth(String datasetId) {
        return store.get(groundTruthKey(datasetId));
    }

    /** Stores the ground truth as uploaded. */
    /** Stores the tags of the dataset's images ({@code datasets/{id}/image-tags.json}). */
    public void putImageTags(String datasetId, Map<String, List<String>> byFile) {
        try {
            store.put(ROOT + datasetId + "/" + DatasetTags.FILE, mapper.writeValueAsBytes(byFile), "application/json");
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    public void putGroundTruth(String datasetId, byte[] json) {
        store.put(groundTruthKey(datasetId), json, "application/json");
    }

    /** Image keys directly under {@code prefix} (sub-folders are not part of a dataset). */
    private List<DatasetImage> images(String prefix) {
        return store.list(prefix).stream()
                .filter(key -> !key.substring(prefix.length()).contains("/"))
                .filter(key -> ImageInspector.hasImageExtension(key.substring(prefix.length())))
                .map(key -> new DatasetImage(key.substring(prefix.length()), key))
                .toList();
    }

    private Dataset read(byte[] bytes) {
        try {
            // Tolerant: a descriptor written by a newer version may carry more fields.
            return mapper.readerFor(Dataset.class).without(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES).readValue(bytes);
        } catch (IOException e) {
            throw new UncheckedIOException("unreadable dataset descriptor: " + e.getMessage(), e);
        }
    }
}
