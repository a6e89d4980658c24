package dev.lumen.runs.storage;

import dev.lumen.runs.domain.DatasetImage;
import dev.lumen.service.storage.ObjectStore;
import jakarta.enterprise.context.ApplicationScoped;

import java.util.List;
import java.util.Locale;
import java.util.Set;

/** Lists the images of datasets stored under {@code datasets/{id}/images/}. */
@ApplicationScoped
public class DatasetCatalog {

    private static final Set<String> IMAGE_EXTENSIONS = Set.of("png", "jpg", "jpeg", "bmp", "gif");

    private final ObjectStore store;

    public DatasetCatalog(ObjectStore store) {
        this.store = store;
    }

    /** The dataset's images sorted by id; empty when the dataset does not exist. */
    public List<DatasetImage> images(String datasetId) {
        String prefix = "datasets/" + datasetId + "/images/";
        return store.list(prefix).stream()
                .filter(key -> !key.substring(prefix.length()).contains("/"))
                .filter(DatasetCatalog::isImage)
                .map(key -> new DatasetImage(key.substring(prefix.length()), key))
                .toList();
    }

    private static boolean isImage(String key) {
        int dot = key.lastIndexOf('.');
        return dot > 0 && IMAGE_EXTENSIONS.contains(key.substring(dot + 1).toLowerCase(Locale.ROOT));
    }
}
