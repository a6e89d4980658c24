package dev.lumen.results.insights;

import dev.lumen.render.SaliencyMap;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

class MapAgreementTest {

    static SaliencyMap blob(int width, int height, double cx, double cy, double sigma) {
        float[] values = new float[width * height];
        for (int y = 0; y < height; y++) {
            for (int x = 0; x < width; x++) {
                double d2 = (x - cx) * (x - cx) + (y - cy) * (y - cy);
                values[y * width + x] = (float) Math.exp(-d2 / (2 * sigma * sigma));
            }
        }
        return new SaliencyMap(values, width, height);
    }

    @Test
    void correlationIgnoresScaleAndOffsetAndSeesOppositeMaps() {
        SaliencyMap map = blob(96, 64, 30, 20, 8);
        float[] scaled = map.values().clone();
        float[] inverted = map.values().clone();
        for (int i = 0; i < scaled.length; i++) {
            scaled[i] = 3 * scaled[i] + 0.5f;
            inverted[i] = 1 - inverted[i];
        }
        assertThat(MapAgreement.correlation(map, new SaliencyMap(scaled, 96, 64))).isCloseTo(1.0, within(1e-9));
        assertThat(MapAgreement.correlation(map, new SaliencyMap(inverted, 96, 64))).isCloseTo(-1.0, within(1e-9));
        assertThat(MapAgreement.correlation(map, blob(96, 64, 80, 50, 8))).isLessThan(0.1);
        assertThat(MapAgreement.correlation(map, SaliencyMap.zeros(96, 64))).isNull();
    }

    @Test
    void mapsOfDifferentResolutionsOverTheSameImageAreCompared() {
        // A coarse 12x8 map (a feature layer's cells) against the same blob drawn at the image's size.
        SaliencyMap fine = blob(480, 320, 150, 100, 40);
        SaliencyMap coarse = blob(12, 8, 150 / 40.0 - 0.5, 100 / 40.0 - 0.5, 1);
        assertThat(MapAgreement.correlation(fine, coarse)).isGreaterThan(0.95);
        assertThat(MapAgreement.correlation(fine, blob(12, 8, 10, 6, 1))).isLessThan(0.2);
    }

    @Test
    void pointingAgreementCountsOnlyTargetsWithAReference() {
        RunAgreement agreement = RunAgreement.of("a", "b", "odam", "drise", List.of(
                new MapAgreement("1.png", 0, "cat", 0.9, true, true),
                new MapAgreement("2.png", 0, "cat", 0.1, true, false),
                new MapAgreement("3.png", 0, "dog", 0.5, false, false),
                new MapAgreement("4.png", 0, "dog", null, null, null)));
        assertThat(agreement.pairs()).isEqualTo(4);
        assertThat(agreement.correlated()).isEqualTo(3);
        assertThat(agreement.meanPearson()).isCloseTo(0.5, within(1e-9));
        assertThat(agreement.medianPearson()).isCloseTo(0.5, within(1e-9));
        assertThat(agreement.withReference()).isEqualTo(3);
        assertThat(agreement.pointingAgreement()).isCloseTo(2 / 3.0, within(1e-4));
        assertThat(agreement.pointingHitsA()).isEqualTo(2);
        assertThat(agreement.pointingHitsB()).isEqualTo(1);
        assertThat(agreement.bothHit()).isEqualTo(1);
        assertThat(agreement.targets()).extracting(MapAgreement::imageId).containsExactly("2.png", "3.png", "1.png", "4.png");
        assertThat(agreement.summary().targets()).isNull();
    }
}
