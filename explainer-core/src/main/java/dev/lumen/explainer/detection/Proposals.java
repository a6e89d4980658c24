package dev.lumen.explainer.detection;

import java.util.AbstractList;
import java.util.Arrays;
import java.util.List;

/**
 * One image's proposals from a detector, decoded on demand. Scores are cheap; a proposal's box,
 * class vector and mask ({@link #get}) may cost a decoder real work (NanoDet: a softmax per box
 * side). D-RISE compares thousands of masked images' proposals with its targets, and a proposal's
 * similarity to a target is at most its score, so a target visits proposals best first
 * ({@link #byScore}) and stops at the first that cannot beat what it has: most proposals are then
 * never decoded. A decoder with nothing to save returns {@link #of} its list. Caches what it
 * decodes; not for use by several threads at once.
 */
public abstract class Proposals {

    private Detection[] decoded;
    private int[] byScore;

    /** Number of proposals. */
    public abstract int size();

    /** The score of proposal {@code i}, in [0, 1]; cheap. */
    public abstract double score(int i);

    /** Decodes proposal {@code i}; called at most once per proposal. */
    protected abstract Detection decode(int i);

    /** Proposal {@code i}, decoded on first use. */
    public final Detection get(int i) {
        if (decoded == null) {
            decoded = new Detection[size()];
        }
        if (decoded[i] == null) {
            decoded[i] = decode(i);
        }
        return decoded[i];
    }

    /** Every proposal, decoded (for display and target choice). */
    public final List<Detection> all() {
        return new AbstractList<>() {
            @Override
            public Detection get(int i) {
                return Proposals.this.get(i);
            }

            @Override
            public int size() {
                return Proposals.this.size();
            }
        };
    }

    /** Proposal indices, highest score first. */
    public final int[] byScore() {
        if (byScore == null) {
            byScore = sortByScore();
        }
        return byScore;
    }

    /** Proposals already decoded. */
    public static Proposals of(List<Detection> detections) {
        return new Proposals() {
            @Override
            public int size() {
                return detections.size();
            }

            @Override
            public double score(int i) {
                return detections.get(i).score();
            }

            @Override
            protected Detection decode(int i) {
                return detections.get(i);
            }
        };
    }

    /**
     * Sorts primitive keys (the score rounded up to a float, then the index) instead of boxed
     * indices: thousands of proposals per masked image. Scores that share a float are then put in
     * exact order by an insertion pass, linear on the nearly sorted result.
     */
    private int[] sortByScore() {
        int n = size();
        long[] keys = new long[n];
        for (int i = 0; i < n; i++) {
            double score = Math.max(0, score(i));
            float key = (float) score;
            if (key < score) {
                key = Math.nextUp(key);
            }
            // Non-negative floats order like their bit patterns.
            keys[i] = (long) Float.floatToRawIntBits(key) << 32 | i;
        }
        Arrays.sort(keys);
        int[] order = new int[n];
        for (int k = 0; k < n; k++) {
            order[k] = (int) keys[n - 1 - k];
        }
        for (int k = 1; k < n; k++) {
            int index = order[k];
            double score = score(index);
            int j = k - 1;
            while (j >= 0 && score(order[j]) < score) {
                order[j + 1] = order[j];
                j--;
            }
            order[j + 1] = index;
        }
        return order;
    }
}
