package dev.lumen.results.rest;

import dev.lumen.results.config.ResultsConfig;
import dev.lumen.results.insights.ComparisonView;
import dev.lumen.results.insights.ImageInsight;
import dev.lumen.results.insights.InsightsView;
import dev.lumen.results.storage.ResultLayout;
import dev.lumen.service.storage.ObjectStore;
import jakarta.enterprise.context.ApplicationScoped;

import java.util.List;

/**
 * Replaces the overlay links that insights store (API paths, which need a bearer token that an
 * {@code <img>} cannot send) with URLs presigned for the S3 endpoint browsers use, as result listings
 * do; they expire after {@code lumen.results.url-ttl}.
 */
@ApplicationScoped
public class OverlayLinks {

    private final ObjectStore store;
    private final ResultsConfig config;

    public OverlayLinks(ObjectStore store, ResultsConfig config) {
        this.store = store;
        this.config = config;
    }

    /** The insights with presigned overlay URLs. */
    public InsightsView presigned(InsightsView view) {
        return view.withLinks(presigned(view.runId(), view.lookingAway()), presigned(view.runId(), view.images()));
    }

    /** The comparison with presigned overlay URLs on both sides. */
    public ComparisonView presigned(ComparisonView view) {
        List<ComparisonView.ImagePair> images = view.images() == null ? null : view.images().stream()
                .map(p -> p.with(presigned(view.a(), p.a()), presigned(view.b(), p.b())))
                .toList();
        return new ComparisonView(view.a(), view.b(), view.referenceA(), view.referenceB(), view.sort(), view.shared(),
                view.agreement(), view.classes(), images);
    }

    private List<ImageInsight> presigned(String runId, List<ImageInsight> images) {
        return images == null ? null : images.stream().map(i -> presigned(runId, i)).toList();
    }

    private ImageInsight presigned(String runId, ImageInsight i) {
        if (i == null || i.overlay() == null) {
            return i;
        }
        String file = i.overlay().substring(i.overlay().lastIndexOf('/') + 1);
        String url = store.presignGet(ResultLayout.imagePrefix(runId, i.imageId()) + file, config.urlTtl());
        return i.withOverlay(url);
    }
}
