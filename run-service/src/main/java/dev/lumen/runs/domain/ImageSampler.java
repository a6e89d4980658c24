package dev.lumen.runs.domain;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/**
 * Seeded sampling without replacement. The same seed and the same (sorted) candidate list always give
 * the same sample, so a run can be reproduced and two runs can share their images.
 */
public final class ImageSampler {

    private ImageSampler() {
    }

    /** {@code count} distinct items of {@code sortedCandidates}, in sampled order. */
    public static <T> List<T> sample(List<T> sortedCandidates, int count, long seed) {
        List<T> pool = new ArrayList<>(sortedCandidates);
        int n = Math.min(count, pool.size());
        SplittableRandom random = new SplittableRandom(seed);
        // Partial Fisher-Yates: only the first n positions are drawn.
        for (int i = 0; i < n; i++) {
            int j = i + random.nextInt(pool.size() - i);
            T swap = pool.get(i);
            pool.set(i, pool.get(j));
            pool.set(j, swap);
        }
        return List.copyOf(pool.subList(0, n));
    }

    /** The seed of one image, mixed from the run seed and the image id so each image gets its own masks. */
    public static long imageSeed(long runSeed, String imageId) {
        return new SplittableRandom(runSeed ^ (imageId.hashCode() * 0x9E3779B97F4A7C15L)).nextLong();
    }

    /** A seed for requests that bring none, derived from the run id so replanning gives the same sample. */
    public static long seedFromRunId(String runId) {
        return new SplittableRandom(runId.hashCode()).nextLong() & Long.MAX_VALUE;
    }
}
