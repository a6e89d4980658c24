package dev.lumen.worker.domain;

import dev.lumen.contracts.ImagePreview;
import dev.lumen.contracts.ImageTask;
import dev.lumen.contracts.PreviewMap;
import dev.lumen.explainer.PreviewListener;
import dev.lumen.render.SaliencyMap;

import java.time.Clock;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;

/**
 * The preview listener of one image task: turns the explainer's previews into preview events, at
 * most one check's worth (one event per target) every {@code interval}, so that a fast model does not
 * flood the broker while a slow one still shows its map sharpening. The first check always goes.
 */
final class ImagePreviews implements PreviewListener {

    private final ImageTask task;
    private final String workerId;
    private final PreviewSink sink;
    private final Duration interval;
    private final Clock clock;
    private long lastSentMillis = Long.MIN_VALUE;
    private int checkMasks = -1;
    private boolean sendingCheck;

    ImagePreviews(ImageTask task, String workerId, PreviewSink sink, Duration interval, Clock clock) {
        this.task = task;
        this.workerId = workerId;
        this.sink = sink;
        this.interval = interval;
        this.clock = clock;
    }

    @Override
    public void preview(Preview preview) {
        // A check tells every target in turn with the same mask count: decide once per check.
        if (preview.masks() != checkMasks) {
            checkMasks = preview.masks();
            long now = clock.millis();
            sendingCheck = lastSentMillis == Long.MIN_VALUE || now - lastSentMillis >= interval.toMillis();
            if (sendingCheck) {
                lastSentMillis = now;
            }
        }
        if (sendingCheck) {
            sink.send(event(preview));
        }
    }

    private ImagePreview event(Preview preview) {
        SaliencyMap map = preview.saliency();
        double[] box = preview.prediction().box();
        List<Double> boxList = box == null ? null : Arrays.stream(box).boxed().toList();
        double correlation = Double.isFinite(preview.predictedCorrelation())
                ? Math.max(-1, Math.min(1, preview.predictedCorrelation())) : 0;
        return new ImagePreview(task.runId(), task.tenant(), task.imageId(), preview.target(),
                preview.prediction().label(), Math.max(0, Math.min(1, preview.prediction().score())), boxList,
                preview.masks(), preview.budget(), correlation, PreviewMap.of(map.values(), map.width(), map.height()),
                clock.instant(), workerId);
    }
}
