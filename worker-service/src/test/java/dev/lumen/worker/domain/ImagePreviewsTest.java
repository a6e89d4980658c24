package dev.lumen.worker.domain;

import static org.assertj.core.api.Assertions.assertThat;

import dev.lumen.contracts.ImagePreview;
import dev.lumen.contracts.ImageTask;
import dev.lumen.contracts.ModelRef;
import dev.lumen.explainer.PreviewListener;
import dev.lumen.explainer.Prediction;
import dev.lumen.render.SaliencyMap;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The worker's throttle: whole checks, at most one per interval, the first always. */
class ImagePreviewsTest {

    private final ImageTask task = new ImageTask("run-1", "acme", "cat.png", "datasets/d/images/cat.png", 0, 1, "drise",
            new ModelRef("detector"), 7L, Map.of());
    private final List<ImagePreview> sent = new ArrayList<>();
    private Instant now = Instant.parse("2026-03-14T09:30:00Z");
    private final Clock clock = new Clock() {
        @Override
        public ZoneOffset getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(java.time.ZoneId zone) {
            return this;
        }

        @Override
        public Instant instant() {
            return now;
        }
    };

    @Test
    void sendsEveryTargetOfTheFirstCheckThenAtMostOneCheckPerInterval() {
        ImagePreviews previews = new ImagePreviews(task, "w1", sent::add, Duration.ofSeconds(2), clock);

        check(previews, 64);
        now = now.plusMillis(1500);
        check(previews, 96);
        now = now.plusMillis(600);
        check(previews, 128);
        now = now.plusMillis(100);
        check(previews, 160);

        assertThat(sent).extracting(ImagePreview::masks).containsExactly(64, 64, 128, 128);
        assertThat(sent).extracting(ImagePreview::target).containsExactly(0, 1, 0, 1);
        ImagePreview first = sent.get(0);
        assertThat(first.runId()).isEqualTo("run-1");
        assertThat(first.tenant()).isEqualTo("acme");
        assertThat(first.imageId()).isEqualTo("cat.png");
        assertThat(first.label()).isEqualTo("cat");
        assertThat(first.box()).containsExactly(1.0, 2.0, 30.0, 40.0);
        assertThat(first.budget()).isEqualTo(1000);
        assertThat(first.map().width()).isEqualTo(32);
        assertThat(first.map().height()).isEqualTo(16);
        assertThat(first.map().cells()[0]).isZero();
        assertThat(first.map().cells()[32 * 16 - 1]).isEqualTo(255);
        assertThat(first.worker()).isEqualTo("w1");
    }

    private void check(ImagePreviews previews, int masks) {
        float[] values = new float[64 * 32];
        for (int i = 0; i < values.length; i++) {
            values[i] = i;
        }
        for (int t = 0; t < 2; t++) {
            previews.preview(new PreviewListener.Preview(t, new Prediction("detection", "cat", 3, 0.9,
                    new double[] {1, 2, 30, 40}), new SaliencyMap(values, 64, 32), masks, 1000, 0.5));
        }
    }
}
