package dev.lumen.runs.domain;

import org.junit.jupiter.api.Test;

import java.util.HashSet;
import java.util.List;
import java.util.stream.IntStream;

import static org.assertj.core.api.Assertions.assertThat;

class ImageSamplerTest {

    private final List<String> candidates = IntStream.range(0, 200).mapToObj(i -> String.format("img-%03d.png", i)).toList();

    @Test
    void sameSeedGivesSameSample() {
        assertThat(ImageSampler.sample(candidates, 20, 7L)).isEqualTo(ImageSampler.sample(candidates, 20, 7L));
    }

    @Test
    void differentSeedsGiveDifferentSamples() {
        assertThat(ImageSampler.sample(candidates, 20, 7L)).isNotEqualTo(ImageSampler.sample(candidates, 20, 8L));
    }

    @Test
    void sampleHasDistinctCandidatesOnly() {
        List<String> sample = ImageSampler.sample(candidates, 150, 3L);
        assertThat(new HashSet<>(sample)).hasSize(150);
        assertThat(candidates).containsAll(sample);
    }

    @Test
    void askingForMoreThanExistTakesAll() {
        assertThat(ImageSampler.sample(candidates.subList(0, 5), 9, 1L)).hasSize(5);
    }

    @Test
    void imageSeedsDifferPerImageAndAreStable() {
        assertThat(ImageSampler.imageSeed(1L, "a.png")).isEqualTo(ImageSampler.imageSeed(1L, "a.png"))
                .isNotEqualTo(ImageSampler.imageSeed(1L, "b.png"));
    }
}
