package dev.lumen.explainer.method;

import java.util.Arrays;
import java.util.List;

/**
 * D-RISE fusion with a control variate per target: how much of the target's own box a mask keeps.
 *
 * <p>Why: a detector's score for an object depends mostly on how much of the object is visible, and
 * steeply (it vanishes below some share). The orthogonal design cancels the additive part of the
 * score in every pixel's sum, but this steep, non-additive part stays and is most of the noise left.
 * With {@code u} the share of the box a mask keeps and controls {@code phi_k(u)} (powers of the
 * standardised share), the map of a stream of {@code n} masks is
 * {@code sum (w_i - wbar) m_i - sum_k c_k (sum (phi_k(u_i) - phibar_k) m_i - n C_k)}, where
 * {@code C_k(x) = Cov(phi_k(u), m(x))} depends only on the box, the grid and the image size (not on
 * the model) and is computed once by Monte Carlo over masks of the same design.
 *
 * <p>Honest: for any fixed coefficients {@code c} the correction has expectation zero, so the map
 * estimated is D-RISE's. The coefficients (a least-squares fit of the score on the controls) are
 * cross-fitted: each stream's correction uses the coefficients fitted on the other stream's masks,
 * never its own, so no stream's correction depends on its own noise and the two stream maps stay
 * the independent halves early stopping compares.
 */
public final class RegionControl {

    /** Controls per target: standardised share, its square and cube, and the fourth power. */
    static final int CONTROLS = 4;
    /** Monte Carlo masks for the control covariance maps; they cost mask generation only, no model run. */
    static final int MONTE_CARLO_MASKS = 4096;
    private static final double RIDGE = 1e-6;

    private final int width;
    private final int height;
    private final int targets;
    private final int[][] boxes;
    private final double[] centre;
    private final double[] spread;
    private final OnlineSaliency[] streams = new OnlineSaliency[2];
    private final double[][][] controls = new double[2][][];
    private final int[] counts = new int[2];
    private final double[][] regression;
    private final RandomMasks monteCarloMasks;
    private float[][] covariance;

    /**
     * @param width mask width
     * @param height mask height
     * @param boxes per target {@code x1, y1, x2, y2} in mask pixels, or null for a target without a
     *     region (its map is the plain one)
     * @param monteCarloMasks masks of the run's design with their own seed, for the covariance maps
     */
    public RegionControl(int width, int height, List<double[]> boxes, RandomMasks monteCarloMasks) {
        this.width = width;
        this.height = height;
        this.targets = boxes.size();
        this.boxes = new int[targets][];
        for (int t = 0; t < targets; t++) {
            double[] b = boxes.get(t);
            if (b != null) {
                int x1 = clamp((int) Math.floor(b[0]), width - 1);
                int y1 = clamp((int) Math.floor(b[1]), height - 1);
                int x2 = Math.max(x1 + 1, clamp((int) Math.ceil(b[2]), width));
                int y2 = Math.max(y1 + 1, clamp((int) Math.ceil(b[3]), height));
                this.boxes[t] = new int[] {x1, y1, x2, y2};
            }
        }
        this.centre = new double[targets];
        this.spread = new double[targets];
        Arrays.fill(spread, 1);
        Arrays.fill(centre, 0.5);
        for (int s = 0; s < 2; s++) {
            streams[s] = new OnlineSaliency(targets * (1 + CONTROLS), width * height);
            controls[s] = new double[64][];
        }
        this.regression = new double[2][];
        this.monteCarloMasks = monteCarloMasks;
    }

    private static int clamp(int value, int max) {
        return Math.max(0, Math.min(max, value));
    }

    /** Adds one mask of stream {@code stream} (0 or 1) with its weights. */
    public void add(int stream, float[] mask, double[] weights) {
        if (covariance == null) {
            calibrate();
        }
        double[] row = new double[targets * (1 + CONTROLS)];
        double[] record = new double[targets * (1 + CONTROLS)];
        for (int t = 0; t < targets; t++) {
            row[t] = weights[t];
            record[t * (1 + CONTROLS)] = weights[t];
            if (boxes[t] == null) {
                continue;
            }
            controls(mask, t, row, targets + t * CONTROLS);
            System.arraycopy(row, targets + t * CONTROLS, record, t * (1 + CONTROLS) + 1, CONTROLS);
        }
        streams[stream].add(mask, row);
        if (counts[stream] == controls[stream].length) {
            controls[stream] = Arrays.copyOf(controls[stream], 2 * counts[stream]);
        }
        controls[stream][counts[stream]++] = record;
        regression[1 - stream] = null; // the other stream's correction uses these coefficients: refit
    }

    /** Masks added to {@code stream}. */
    public int count(int stream) {
        return counts[stream];
    }

    /** The corrected map of target {@code t} from one stream's masks (scaled as a sum over them). */
    public float[] streamMap(int stream, int t) {
        float[] map = streams[stream].map(t);
        if (boxes[t] == null) {
            return map;
        }
        double[] c = coefficients(1 - stream, t);
        int n = counts[stream];
        for (int k = 0; k < CONTROLS; k++) {
            if (c[k] == 0) {
                continue;
            }
            float[] basis = streams[stream].map(targets + t * CONTROLS + k);
            float[] expected = covariance[t * CONTROLS + k];
            for (int p = 0; p < map.length; p++) {
                map[p] -= (float) (c[k] * (basis[p] - n * expected[p]));
            }
        }
        return map;
    }

    /** The corrected map of target {@code t} over both streams. */
    public float[] map(int t) {
        float[] a = streamMap(0, t);
        float[] b = streamMap(1, t);
        for (int p = 0; p < a.length; p++) {
            a[p] += b[p];
        }
        return a;
    }

    /** The uncorrected map of target {@code t} from one stream's masks, for comparison. */
    public float[] plainStreamMap(int stream, int t) {
        return streams[stream].map(t);
    }

    /** The uncorrected map of target {@code t} over both streams, for comparison. */
    public float[] plainMap(int t) {
        float[] a = streams[0].map(t);
        float[] b = streams[1].map(t);
        for (int p = 0; p < a.length; p++) {
            a[p] += b[p];
        }
        return a;
    }

    /** Least-squares coefficients of the score on the controls over {@code stream}'s masks (no intercept term returned). */
    private double[] coefficients(int stream, int t) {
        if (regression[stream] == null) {
            regression[stream] = new double[targets * CONTROLS];
            for (int target = 0; target < targets; target++) {
                double[] fit = fit(stream, target);
                System.arraycopy(fit, 0, regression[stream], target * CONTROLS, CONTROLS);
            }
        }
        return Arrays.copyOfRange(regression[stream], t * CONTROLS, (t + 1) * CONTROLS);
    }

    private double[] fit(int stream, int t) {
        int n = counts[stream];
        int size = CONTROLS + 1;
        if (boxes[t] == null || n < 4 * size) {
            return new double[CONTROLS];
        }
        double[][] normal = new double[size][size + 1];
        double[] x = new double[size];
        for (int i = 0; i < n; i++) {
            double[] record = controls[stream][i];
            x[0] = 1;
            System.arraycopy(record, t * size + 1, x, 1, CONTROLS);
            double w = record[t * size];
            for (int a = 0; a < size; a++) {
                for (int b = 0; b < size; b++) {
                    normal[a][b] += x[a] * x[b];
                }
                normal[a][size] += x[a] * w;
            }
        }
        for (int a = 0; a < size; a++) {
            normal[a][a] += RIDGE * n;
        }
        double[] solution = solve(normal);
        return Arrays.copyOfRange(solution, 1, size);
    }

    /** Gaussian elimination with partial pivoting on an augmented matrix. */
    private static double[] solve(double[][] m) {
        int size = m.length;
        for (int col = 0; col < size; col++) {
            int pivot = col;
            for (int r = col + 1; r < size; r++) {
                if (Math.abs(m[r][col]) > Math.abs(m[pivot][col])) {
                    pivot = r;
                }
            }
            double[] tmp = m[col];
            m[col] = m[pivot];
            m[pivot] = tmp;
            if (Math.abs(m[col][col]) < 1e-300) {
                return new double[size];
            }
            for (int r = 0; r < size; r++) {
                if (r == col) {
                    continue;
                }
                double f = m[r][col] / m[col][col];
                for (int c = col; c <= size; c++) {
                    m[r][c] -= f * m[col][c];
                }
            }
        }
        double[] x = new double[size];
        for (int r = 0; r < size; r++) {
            x[r] = m[r][size] / m[r][r];
        }
        return x;
    }

    /**
     * The Monte Carlo covariance maps {@code Cov(phi_k(u), m(x))} per mask, and the share's mean and
     * spread per target (which standardise the controls), from masks that no model ever sees.
     */
    private void calibrate() {
        int plane = width * height;
        int mc = MONTE_CARLO_MASKS;
        float[] mask = new float[plane];
        // The share's mean and spread per target standardise the controls: from 512 masks first.
        int pilot = 512;
        double[] sum = new double[targets];
        double[] squares = new double[targets];
        for (int j = 0; j < pilot; j++) {
            monteCarloMasks.next(mask);
            for (int t = 0; t < targets; t++) {
                if (boxes[t] != null) {
                    double u = share(mask, boxes[t]);
                    sum[t] += u;
                    squares[t] += u * u;
                }
            }
        }
        for (int t = 0; t < targets; t++) {
            centre[t] = sum[t] / pilot;
            spread[t] = Math.max(1e-6, Math.sqrt(Math.max(0, squares[t] / pilot - centre[t] * centre[t])));
        }
        OnlineSaliency accumulated = new OnlineSaliency(targets * CONTROLS, plane);
        double[] row = new double[targets * CONTROLS];
        for (int j = 0; j < mc; j++) {
            monteCarloMasks.next(mask);
            for (int t = 0; t < targets; t++) {
                if (boxes[t] == null) {
                    continue;
                }
                controls(mask, t, row, t * CONTROLS);
            }
            accumulated.add(mask, row);
        }
        covariance = new float[targets * CONTROLS][];
        for (int i = 0; i < covariance.length; i++) {
            float[] map = accumulated.map(i);
            for (int p = 0; p < plane; p++) {
                map[p] /= mc;
            }
            covariance[i] = map;
        }
    }

    /** Writes target {@code t}'s controls for {@code mask} (powers 1..CONTROLS of the standardised share) at {@code offset}. */
    private void controls(float[] mask, int t, double[] into, int offset) {
        double v = (share(mask, boxes[t]) - centre[t]) / spread[t];
        double power = 1;
        for (int k = 0; k < CONTROLS; k++) {
            power *= v;
            into[offset + k] = power;
        }
    }

    private double share(float[] mask, int[] box) {
        double kept = 0;
        for (int y = box[1]; y < box[3]; y++) {
            int row = y * width;
            for (int x = box[0]; x < box[2]; x++) {
                kept += mask[row + x];
            }
        }
        return kept / ((double) (box[2] - box[0]) * (box[3] - box[1]));
    }
}
