package dev.lumen.explainer.cli;

import static dev.lumen.catalogue.MethodCatalogue.METRICS;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.lumen.catalogue.MethodCatalogue;
import dev.lumen.catalogue.Parameters;
import dev.lumen.catalogue.Task;
import dev.lumen.explainer.ExplainOptions;
import dev.lumen.explainer.ExplainResult;
import dev.lumen.explainer.Explainer;
import dev.lumen.explainer.Images;
import dev.lumen.explainer.MaskedTargets;
import dev.lumen.explainer.Prediction;
import dev.lumen.explainer.method.MaskedSaliency;
import dev.lumen.explainer.method.OnlineSaliency;
import dev.lumen.explainer.method.RandomMasks;
import dev.lumen.explainer.method.RegionControl;
import dev.lumen.explainer.targets.DetectionTarget;
import dev.lumen.explainer.model.LoadedModel;
import java.awt.image.BufferedImage;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * {@code bench --case drise-masks} and {@code --case drise-levers}: how many masks D-RISE needs on
 * the real NanoDet over the demo photos, and what each sampling lever buys.
 *
 * <p>Forward passes are the whole cost (about 35 ms each for NanoDet on a free 2 vCPU machine), so
 * every masked image's weights are cached per photo, design and seed under {@code --cache}: masks
 * are regenerated from the seed for free, and a replay of cached weights gives the same maps, the
 * same checks and the same early stop as the live run, without one forward pass. A 5,000-mask
 * reference is computed once per photo; later runs only replay it.
 *
 * <ul>
 *   <li>{@code drise-masks}: per photo and target, the masks after which the running map's Pearson
 *       with the 5,000-mask map of the same run stays at or above 0.95 (checks every 80 masks), the
 *       early stop's point and its measured Pearson with that map, then a live default
 *       {@code explain} (early stop on, metrics off) timed beside plain forward passes.
 *   <li>{@code drise-levers}: per photo and sampling design, the split-half correlation of the two
 *       independent streams at 256 to 1,024 masks and the correlation it predicts with the
 *       5,000-mask map (no reference needed, so designs are compared on equal footing), and the
 *       control variates (baselines) replayed on the default design's reference run.
 * </ul>
 */
final class DriseMasksBench {

    /** The demo's detector photos (cli's RealDemoAssets): cat, dog, cup, motorcycle, person, car. */
    static final List<String> PHOTOS = List.of("chelsea.png", "chicky_512.png", "coffee.png", "motorcycle_left.png",
            "astronaut.png", "licenseplate_motion.jpg");
    private static final long SEED = 11;
    private static final int REFERENCE_MASKS = 5000;
    private static final double GOAL = 0.95;
    private static final int LEVER_MASKS = 1024;
    /** Masks of the live, timed explain per photo: enough to measure the cost per mask. */
    private static final int LIVE_MASKS = 160;
    private static final int[] LEVER_POINTS = {256, 512, 768, 1024};

    /** One sampling design to compare. */
    private record Design(String name, RandomMasks.Design design, int shiftsPerBlock, boolean complements) {
        MaskedSaliency.Settings settings(MaskedSaliency.Settings base, int masks, boolean earlyStop) {
            return new MaskedSaliency.Settings(masks, base.grid(), base.p(), base.seed(), earlyStop,
                    base.stopCorrelation(), base.batch(), design, shiftsPerBlock, complements);
        }

        String key(MaskedSaliency.Settings s) {
            return String.format(Locale.ROOT, "%s-g%d-s%d", name, s.grid(), s.seed());
        }
    }

    private static final List<Design> LEVERS = List.of(
            new Design("orthogonal", RandomMasks.Design.ORTHOGONAL, 1, false),
            new Design("orthogonal-shifts4", RandomMasks.Design.ORTHOGONAL, 4, false),
            new Design("orthogonal-complements", RandomMasks.Design.ORTHOGONAL, 1, true),
            new Design("orthogonal-complements-shifts4", RandomMasks.Design.ORTHOGONAL, 4, true),
            new Design("independent", RandomMasks.Design.INDEPENDENT, 1, false));

    private final PrintStream out;
    private final ObjectMapper json;
    private final Path cache;

    private final String onlyPhoto;

    /**
     * @param cache folder of the cached weights
     * @param onlyPhoto one demo photo's file name to measure, or null for all
     */
    DriseMasksBench(PrintStream out, ObjectMapper json, Path cache, String onlyPhoto) {
        this.out = out;
        this.json = json;
        this.cache = cache;
        this.onlyPhoto = onlyPhoto;
    }

    private List<String> photos(boolean quick) {
        if (onlyPhoto != null) {
            return List.of(onlyPhoto);
        }
        return quick ? PHOTOS.subList(0, 2) : PHOTOS;
    }

    /** The default design as the catalogue's defaults choose it. */
    private static Design defaultDesign(MaskedSaliency.Settings s) {
        String name = s.design() == RandomMasks.Design.INDEPENDENT ? "independent"
                : "orthogonal" + (s.complements() ? "-complements" : "") + (s.shiftsPerBlock() > 1 ? "-shifts" + s.shiftsPerBlock() : "");
        return new Design(name, s.design(), s.shiftsPerBlock(), s.complements());
    }

    private static MaskedSaliency.Settings defaults() {
        return MaskedTargets.settings(Parameters.defaults(MethodCatalogue.DRISE, Task.DETECTION), SEED);
    }

    /**
     * {@code drise-masks} over every demo photo present: first every missing reference (the only
     * expensive part, resumable: weights are saved as they come), then per photo the replayed
     * figures and one live, timed explain.
     */
    void masks(LoadedModel model, Path photos, boolean quick) throws IOException {
        List<String> names = photos(quick).stream()
                .filter(name -> Files.isRegularFile(photos.resolve(name))).toList();
        MaskedSaliency.Settings base = defaults();
        Design design = defaultDesign(base);
        for (String name : names) {
            BufferedImage image = Images.decode(Files.readAllBytes(photos.resolve(name)));
            MaskedTargets<?> targets = MaskedTargets.select(model, image);
            List<Prediction> explained = targets.selection().targets().stream().map(t -> t.prediction()).toList();
            if (explained.isEmpty()) {
                out.println(json.createObjectNode().put("case", "drise-masks").put("photo", name).put("targets", 0));
                continue;
            }
            Weights weights = new Weights(model, targets, design.key(base) + "-" + stem(name), base);
            List<float[]> reference = weights.reference(design, base);
            // Replay with every check recorded: Pearson with the reference and the stop rule's prediction.
            List<MaskedSaliency.Checkpoint> checks = new ArrayList<>();
            List<double[]> measured = new ArrayList<>();
            MaskedSaliency.estimate(weights.width, weights.height, explained.size(), weights.scorer(),
                    design.settings(base, REFERENCE_MASKS, false), weights.batch, check -> {
                        double[] r = new double[explained.size()];
                        for (int t = 0; t < r.length; t++) {
                            r[t] = OnlineSaliency.pearson(check.maps().get(t), reference.get(t));
                        }
                        checks.add(new MaskedSaliency.Checkpoint(check.masks(), check.predictedCorrelation(), false,
                                List.of()));
                        measured.add(r);
                    });
            // The early stop as the estimator decides it: the same replay with early stopping on.
            MaskedSaliency.Result stopped = MaskedSaliency.estimate(weights.width, weights.height, explained.size(),
                    weights.scorer(), design.settings(base, REFERENCE_MASKS, true), weights.batch, null);
            // Live, timed beside plain forward passes in the same minute: a short default explain
            // (early stop off, metrics off) gives the cost per mask; seconds per photo at the early
            // stop's budget follow from it. The stopped map itself is the replay's, which runs the
            // same masks through the same estimator (the cache holds their weights).
            int stopMasks = stopped.masksUsed();
            double forwardMs = forwardMs(model, targets);
            Explainer explainer = new Explainer(model);
            ExplainResult live = explainer.explain(image, new ExplainOptions(MethodCatalogue.DRISE.id(), SEED,
                    Map.of(METRICS.name(), false, MethodCatalogue.EARLY_STOP.name(), false,
                            MethodCatalogue.MASKS.name(), LIVE_MASKS)));
            double forwardAfterMs = forwardMs(model, targets);
            double batchedMs = Math.min(batchedForwardMs(model, targets, weights.batch),
                    batchedForwardMs(model, targets, weights.batch));
            long liveMasks = live.forwardPasses() - 1;
            double msPerMask = live.explainMs() / (double) liveMasks;
            for (int t = 0; t < explained.size(); t++) {
                int needed = REFERENCE_MASKS;
                for (int c = checks.size() - 1; c >= 0 && measured.get(c)[t] >= GOAL; c--) {
                    needed = checks.get(c).masks();
                }
                Prediction p = explained.get(t);
                ObjectNode line = json.createObjectNode().put("case", "drise-masks").put("photo", name)
                        .put("target", p.label()).put("score", round(p.score(), 3)).put("design", design.name())
                        .put("masksTo095", needed)
                        .put("earlyStopMasks", stopMasks)
                        .put("earlyStopPredicted", round(stopped.correlation(), 4))
                        .put("earlyStopPearson", round(OnlineSaliency.pearson(stopped.maps().get(t).values(),
                                reference.get(t)), 4))
                        .put("liveMasks", liveMasks).put("liveMs", live.explainMs())
                        .put("msPerMask", round(msPerMask, 1))
                        .put("secondsAtEarlyStop", round(stopMasks * msPerMask / 1000, 1))
                        .put("secondsAt1000", round(1000 * msPerMask / 1000, 1))
                        .put("forwardMs", round(Math.min(forwardMs, forwardAfterMs), 1))
                        .put("batchedForwardMsPerImage", round(batchedMs, 1))
                        .put("ratioToBatchedForward", round(msPerMask / batchedMs, 2))
                        .put("batch", weights.batch).put("forwardsThisRun", weights.computed);
                out.println(line);
            }
        }
    }

    /** {@code drise-levers} over every demo photo present. */
    void levers(LoadedModel model, Path photos, boolean quick) throws IOException {
        for (String name : photos(quick)) {
            Path photo = photos.resolve(name);
            if (!Files.isRegularFile(photo)) {
                continue;
            }
            BufferedImage image = Images.decode(Files.readAllBytes(photo));
            MaskedTargets<?> targets = MaskedTargets.select(model, image);
            int count = targets.selection().targets().size();
            if (count == 0) {
                continue;
            }
            MaskedSaliency.Settings base = defaults();
            for (Design design : LEVERS) {
                Weights weights = new Weights(model, targets, design.key(base) + "-" + stem(name), base);
                ArrayNode points = json.createArrayNode();
                // The largest budget first: it runs the model; the smaller ones replay its prefix.
                for (int i = LEVER_POINTS.length - 1; i >= 0; i--) {
                    int point = LEVER_POINTS[i];
                    MaskedSaliency.Result result = MaskedSaliency.estimate(weights.width, weights.height, count,
                            weights.scorer(), design.settings(base, point, false), weights.batch, check -> { });
                    ObjectNode node = json.createObjectNode().put("masks", point);
                    ArrayNode perTarget = json.createArrayNode();
                    double worst = 1;
                    for (double h : result.splitHalves()) {
                        worst = Math.min(worst, MaskedSaliency.predictedCorrelation(h, point, REFERENCE_MASKS));
                        perTarget.add(round(h, 4));
                    }
                    node.set("halves", perTarget);
                    node.put("predictedTo5000", round(worst, 4));
                    points.insert(0, node);
                }
                weights.save();
                ObjectNode line = json.createObjectNode().put("case", "drise-levers").put("photo", name)
                        .put("design", design.name()).put("targets", count).put("forwardsThisRun", weights.computed);
                line.set("points", points);
                out.println(line);
            }
        }
    }

    /**
     * {@code drise-controls}: estimator levers replayed on the default design's cached weights (no
     * forward pass when the cache holds them): the mean-score baseline (D-RISE's), no baseline,
     * the unmasked score as baseline, and the box-share control variate ({@link RegionControl}).
     * Per photo: each variant's split-half correlation at 256 to 1,024 masks and, when the cache
     * holds the 5,000-mask reference, each variant's Pearson with it.
     */
    void controls(LoadedModel model, Path photos, boolean quick) throws IOException {
        MaskedSaliency.Settings base = defaults();
        Design design = defaultDesign(base);
        for (String name : photos(quick)) {
            Path photo = photos.resolve(name);
            if (!Files.isRegularFile(photo)) {
                continue;
            }
            MaskedTargets<?> targets = MaskedTargets.select(model, Images.decode(Files.readAllBytes(photo)));
            int count = targets.selection().targets().size();
            if (count == 0) {
                continue;
            }
            Weights weights = new Weights(model, targets, design.key(base) + "-" + stem(name), base);
            if (weights.size < LEVER_MASKS) {
                // Replays only: drise-masks computes the weights (and the reference) first.
                out.println(json.createObjectNode().put("case", "drise-controls").put("photo", name)
                        .put("skipped", "fewer than " + LEVER_MASKS + " cached masks; run --case drise-masks first"));
                continue;
            }
            List<float[]> reference = weights.size >= REFERENCE_MASKS ? weights.reference(design, base) : null;
            List<double[]> boxes = new ArrayList<>();
            double[] unmasked = new double[count];
            for (int t = 0; t < count; t++) {
                var target = targets.selection().targets().get(t);
                boxes.add(target instanceof DetectionTarget d ? d.detection().box() : null);
                unmasked[t] = target.prediction().score();
            }
            RegionControl control = new RegionControl(weights.width, weights.height, boxes,
                    new RandomMasks(weights.width, weights.height, base.grid(), base.p(), 0xC0FFEEL, design.design(),
                            design.shiftsPerBlock(), design.complements()));
            int plane = weights.width * weights.height;
            double[][] raw = new double[count][plane];
            double[] maskSum = new double[plane];
            MaskedSaliency.MaskScorer replay = weights.scorer();
            int[] index = {0};
            ArrayNode points = json.createArrayNode();
            MaskedSaliency.MaskScorer probe = (masks, size) -> {
                double[][] w = replay.weights(masks, size);
                for (int b = 0; b < size; b++) {
                    int i = index[0]++;
                    float[] mask = masks[b];
                    control.add(i % 2, mask, w[b]);
                    for (int p = 0; p < plane; p++) {
                        maskSum[p] += mask[p];
                    }
                    for (int t = 0; t < count; t++) {
                        double[] map = raw[t];
                        double wt = w[b][t];
                        for (int p = 0; p < plane; p++) {
                            map[p] += wt * mask[p];
                        }
                    }
                    for (int point : LEVER_POINTS) {
                        if (i + 1 == point) {
                            points.add(controlPoint(point, count, control, raw, maskSum, unmasked, reference));
                        }
                    }
                }
                return w;
            };
            MaskedSaliency.estimate(weights.width, weights.height, count, probe,
                    design.settings(base, LEVER_MASKS, false), weights.batch, null);
            ObjectNode line = json.createObjectNode().put("case", "drise-controls").put("photo", name)
                    .put("design", design.name()).put("targets", count).put("forwardsThisRun", weights.computed);
            line.set("points", points);
            out.println(line);
        }
    }

    private ObjectNode controlPoint(int point, int count, RegionControl control, double[][] raw, double[] maskSum,
            double[] unmasked, List<float[]> reference) {
        ObjectNode node = json.createObjectNode().put("masks", point);
        ArrayNode plainHalves = json.createArrayNode();
        ArrayNode controlHalves = json.createArrayNode();
        ArrayNode plainR = json.createArrayNode();
        ArrayNode controlR = json.createArrayNode();
        ArrayNode noBaselineR = json.createArrayNode();
        ArrayNode unmaskedR = json.createArrayNode();
        for (int t = 0; t < count; t++) {
            // The plain stream maps are the corrected ones with zero coefficients: compare like with like.
            float[] plain = control.plainMap(t);
            plainHalves.add(round(halves(control, t, false), 4));
            controlHalves.add(round(halves(control, t, true), 4));
            if (reference != null) {
                float[] ref = reference.get(t);
                plainR.add(round(OnlineSaliency.pearson(plain, ref), 4));
                controlR.add(round(OnlineSaliency.pearson(control.map(t), ref), 4));
                float[] none = new float[raw[t].length];
                float[] own = new float[raw[t].length];
                for (int p = 0; p < none.length; p++) {
                    none[p] = (float) raw[t][p];
                    own[p] = (float) (raw[t][p] - unmasked[t] * maskSum[p]);
                }
                noBaselineR.add(round(OnlineSaliency.pearson(none, ref), 4));
                unmaskedR.add(round(OnlineSaliency.pearson(own, ref), 4));
            }
        }
        node.set("plainHalves", plainHalves);
        node.set("controlHalves", controlHalves);
        if (reference != null) {
            node.set("meanBaselineToReference", plainR);
            node.set("controlToReference", controlR);
            node.set("noBaselineToReference", noBaselineR);
            node.set("unmaskedBaselineToReference", unmaskedR);
        }
        return node;
    }

    private static double halves(RegionControl control, int t, boolean corrected) {
        return corrected ? OnlineSaliency.pearson(control.streamMap(0, t), control.streamMap(1, t))
                : OnlineSaliency.pearson(control.plainStreamMap(0, t), control.plainStreamMap(1, t));
    }

    private static double forwardMs(LoadedModel model, MaskedTargets<?> targets) {
        for (int i = 0; i < 2; i++) {
            model.forward(List.of(targets.input()), null);
        }
        int runs = 10;
        long start = System.nanoTime();
        for (int i = 0; i < runs; i++) {
            model.forward(List.of(targets.input()), null);
        }
        return (System.nanoTime() - start) / 1e6 / runs;
    }

    /** Per image, one model run on a batch of {@code batch} copies of the unmasked image (as D-RISE batches). */
    private static double batchedForwardMs(LoadedModel model, MaskedTargets<?> targets, int batch) {
        dev.lumen.explainer.model.FloatTensor one = model.preprocessor().tensor(List.of(targets.input()));
        dev.lumen.explainer.model.FloatTensor many = one.repeat(batch);
        long start = System.nanoTime();
        model.run(many);
        return (System.nanoTime() - start) / 1e6 / batch;
    }

    private static String stem(String name) {
        int dot = name.lastIndexOf('.');
        return dot < 0 ? name : name.substring(0, dot);
    }

    private static double round(double value, int digits) {
        double scale = Math.pow(10, digits);
        return Math.round(value * scale) / scale;
    }

    /**
     * The weights of one photo's masked images for one design and seed, cached in a file: a replay
     * serves cached masks and runs the model only for masks beyond the cache, which it then saves.
     */
    final class Weights {
        final int width;
        final int height;
        final int batch;
        final int targets;
        private final Path file;
        private final MaskedSaliency.MaskScorer live;
        private double[][] rows;
        int size;
        int computed;

        Weights(LoadedModel model, MaskedTargets<?> masked, String key, MaskedSaliency.Settings base) throws IOException {
            this.width = masked.input().width();
            this.height = masked.input().height();
            this.batch = MaskedSaliency.batchSize(model, base.batch());
            this.targets = masked.selection().targets().size();
            this.file = cache.resolve(key + ".weights");
            this.live = MaskedSaliency.maskScorer(model, masked.input(), masked.scorer(), batch);
            this.rows = new double[1024][];
            load();
        }

        private void load() throws IOException {
            if (!Files.isRegularFile(file)) {
                return;
            }
            try (DataInputStream in = new DataInputStream(new java.io.BufferedInputStream(Files.newInputStream(file)))) {
                int t = in.readInt();
                int n = in.readInt();
                if (t != targets) {
                    return; // another selection of targets: recompute
                }
                for (int i = 0; i < n; i++) {
                    double[] row = new double[t];
                    for (int j = 0; j < t; j++) {
                        row[j] = in.readDouble();
                    }
                    append(row);
                }
            }
        }

        void save() {
            if (computed == 0) {
                return; // nothing new: never overwrite a cache another run may be extending
            }
            try {
                Files.createDirectories(file.getParent());
                Path partial = file.resolveSibling(file.getFileName() + ".partial");
                try (DataOutputStream o = new DataOutputStream(new java.io.BufferedOutputStream(Files.newOutputStream(partial)))) {
                    o.writeInt(targets);
                    o.writeInt(size);
                    for (int i = 0; i < size; i++) {
                        for (double w : rows[i]) {
                            o.writeDouble(w);
                        }
                    }
                }
                Files.move(partial, file, StandardCopyOption.REPLACE_EXISTING);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }

        private void append(double[] row) {
            if (size == rows.length) {
                rows = Arrays.copyOf(rows, 2 * size);
            }
            rows[size++] = row;
        }

        /** A scorer that replays from mask 0: cached rows first, the model beyond them. */
        MaskedSaliency.MaskScorer scorer() {
            int[] position = {0};
            return (masks, count) -> {
                int start = position[0];
                position[0] += count;
                int cached = Math.max(0, Math.min(count, size - start));
                if (cached < count) {
                    double[][] fresh = live.weights(Arrays.copyOfRange(masks, cached, count), count - cached);
                    for (double[] row : fresh) {
                        append(row);
                    }
                    computed += fresh.length;
                    if (computed % 256 < count - cached) {
                        save();
                    }
                }
                return Arrays.copyOfRange(rows, start, start + count);
            };
        }

        /** The map of all {@code 5,000} masks of {@code design}, computing what the cache lacks. */
        List<float[]> reference(Design design, MaskedSaliency.Settings base) {
            MaskedSaliency.Result result = MaskedSaliency.estimate(width, height, targets, scorer(),
                    design.settings(base, REFERENCE_MASKS, false), batch, null);
            save();
            List<float[]> maps = new ArrayList<>();
            result.maps().forEach(m -> maps.add(m.values()));
            return maps;
        }
    }
}
