package dev.lumen.explainer.method;

/**
 * The D-RISE/RISE fusion computed online: per target the weighted mask sum, plus one shared
 * unweighted mask sum and per-target weight sums. Memory is a few maps whatever the number of
 * masks (Microsoft's implementation keeps every mask). The map is
 * {@code sum(w_i m_i) - mean(w) sum(m_i)}, as Microsoft's D-RISE subtracts the mean score times the
 * mask sum: this removes the bias of pixels that happened to be kept more often.
 */
public final class OnlineSaliency {

    private final int size;
    private final double[][] weighted;
    private final double[] maskSum;
    private final double[] weightSum;
    private long count;

    /**
     * @param targets how many maps to accumulate
     * @param size pixels per map
     */
    public OnlineSaliency(int targets, int size) {
        this.size = size;
        this.weighted = new double[targets][size];
        this.maskSum = new double[size];
        this.weightSum = new double[targets];
    }

    /** Adds one mask with one weight per target. */
    public void add(float[] mask, double[] weights) {
        for (int p = 0; p < size; p++) {
            maskSum[p] += mask[p];
        }
        for (int t = 0; t < weighted.length; t++) {
            double w = weights[t];
            weightSum[t] += w;
            if (w == 0) {
                continue;
            }
            double[] map = weighted[t];
            for (int p = 0; p < size; p++) {
                map[p] += w * mask[p];
            }
        }
        count++;
    }

    /** Number of maps accumulated. */
    public int targets() {
        return weighted.length;
    }

    /**
     * The map of target {@code t} over the masks added here but not to {@code part}, which must
     * have been given a subset of this accumulator's masks (e.g. the even ones, for split halves).
     */
    public float[] mapWithout(OnlineSaliency part, int t) {
        long rest = count - part.count;
        double mean = rest == 0 ? 0 : (weightSum[t] - part.weightSum[t]) / rest;
        float[] map = new float[size];
        for (int p = 0; p < size; p++) {
            map[p] = (float) ((weighted[t][p] - part.weighted[t][p]) - mean * (maskSum[p] - part.maskSum[p]));
        }
        return map;
    }

    /** Masks added so far. */
    public long count() {
        return count;
    }

    /** The current map of target {@code t} (not normalised). */
    public float[] map(int t) {
        float[] map = new float[size];
        double mean = count == 0 ? 0 : weightSum[t] / count;
        for (int p = 0; p < size; p++) {
            map[p] = (float) (weighted[t][p] - mean * maskSum[p]);
        }
        return map;
    }

    /** Pearson correlation of two maps; 1 when both are constant, 0 when one is. */
    public static double pearson(float[] a, float[] b) {
        double meanA = 0;
        double meanB = 0;
        for (int i = 0; i < a.length; i++) {
            meanA += a[i];
            meanB += b[i];
        }
        meanA /= a.length;
        meanB /= b.length;
        double cov = 0;
        double varA = 0;
        double varB = 0;
        for (int i = 0; i < a.length; i++) {
            double da = a[i] - meanA;
            double db = b[i] - meanB;
            cov += da * db;
            varA += da * da;
            varB += db * db;
        }
        if (varA == 0 && varB == 0) {
            return 1;
        }
        return varA == 0 || varB == 0 ? 0 : cov / Math.sqrt(varA * varB);
    }
}
