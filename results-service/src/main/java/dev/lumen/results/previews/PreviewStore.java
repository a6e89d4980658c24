package dev.lumen.results.previews;

import dev.lumen.contracts.ImagePreview;
import dev.lumen.results.config.ResultsConfig;
import dev.lumen.results.progress.RunTracker;
import jakarta.enterprise.context.ApplicationScoped;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The latest preview of every target of every image still being explained (decision 0045), in
 * memory only. Per (run, image, target) the preview with the most masks wins, whatever order they
 * arrive in. An image's previews go when its result arrives, and a preview of an image that already
 * has an outcome, or of a run that is over, is ignored: a preview is never shown after the final map.
 * At most {@link ResultsConfig#previewImages()} images are kept; the one updated longest ago goes first.
 */
@ApplicationScoped
public class PreviewStore {

    private final RunTracker tracker;
    private final int maxImages;
    /** Key: {@code runId/imageId}; access order, so the least recently updated image is evicted first. */
    private final LinkedHashMap<String, TreeMap<Integer, ImagePreview>> byImage;

    public PreviewStore(RunTracker tracker, ResultsConfig config) {
        this.tracker = tracker;
        this.maxImages = config.previewImages();
        this.byImage = new LinkedHashMap<>(16, 0.75f, true) {
            @Override
            protected boolean removeEldestEntry(Map.Entry<String, TreeMap<Integer, ImagePreview>> eldest) {
                return size() > maxImages;
            }
        };
    }

    /** Keeps {@code preview} unless a newer one of its target is kept or its image is already done. */
    public void offer(ImagePreview preview) {
        if (tracker.hasOutcome(preview.runId(), preview.imageId())
                || tracker.progress(preview.runId()).map(p -> p.state().terminal()).orElse(false)) {
            return;
        }
        synchronized (byImage) {
            byImage.computeIfAbsent(key(preview.runId(), preview.imageId()), k -> new TreeMap<>())
                    .merge(preview.target(), preview, (kept, offered) -> offered.masks() > kept.masks() ? offered : kept);
        }
    }

    /** Forgets the previews of an image whose result arrived. */
    public void resultArrived(String runId, String imageId) {
        synchronized (byImage) {
            byImage.remove(key(runId, imageId));
        }
    }

    /**
     * The kept previews of a run's images that have no outcome yet, by image id then target. An image
     * whose result was counted meanwhile is left out, whichever arrived first.
     */
    public List<ImagePreview> previews(String runId) {
        String prefix = runId + "/";
        List<ImagePreview> previews = new ArrayList<>();
        synchronized (byImage) {
            // Iterating an access-ordered map does not reorder it; get() would.
            byImage.entrySet().stream().filter(e -> e.getKey().startsWith(prefix))
                    .forEach(e -> previews.addAll(e.getValue().values()));
        }
        return previews.stream()
                .filter(p -> !tracker.hasOutcome(p.runId(), p.imageId()))
                .sorted(Comparator.comparing(ImagePreview::imageId).thenComparingInt(ImagePreview::target))
                .toList();
    }

    private static String key(String runId, String imageId) {
        return runId + "/" + imageId;
    }
}
