package dev.lumen.explainer.model;

import dev.lumen.catalogue.Task;
import ai.djl.MalformedModelException;
import ai.djl.engine.EngineException;
import ai.djl.ndarray.NDList;
import ai.djl.repository.zoo.Criteria;
import ai.djl.repository.zoo.ModelNotFoundException;
import ai.djl.repository.zoo.ZooModel;
import ai.djl.tensorflow.engine.SavedModelBundle;
import ai.djl.tensorflow.engine.TfSymbolBlock;
import ai.djl.translate.NoopTranslator;
import dev.lumen.explainer.model.ModelDescriptor.Layout;
import dev.lumen.tensorflow.TensorFlowEnvironment;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A SavedModel loaded through DJL's TensorFlow engine, with its {@code lumen-model.json}: the one
 * place that runs the model. Forward runs are batched and may return an intermediate activation;
 * gradient runs add the gradient operations to DJL's graph once per (layer, output) pair.
 *
 * <p>Thread-safe: runs may overlap, and the caches of discovered layers and gradient operations
 * are concurrent. Close it to release the native session.
 */
public final class LoadedModel implements AutoCloseable {

    static {
        TensorFlowEnvironment.prepare();
    }

    private static final AtomicInteger GRADIENT_COUNTER = new AtomicInteger();

    private final Path directory;
    private final ModelDescriptor descriptor;
    private final ZooModel<NDList, NDList> model;
    private final GraphSession graph;
    private final TensorRef input;
    private final Map<String, TensorRef> outputs;
    private final Preprocessor preprocessor;
    private final ScoreDecoder scoreDecoder;
    private final LayerFinder layerFinder;
    private final GeometryTracer geometryTracer;
    private final int maxBatch;
    private final Map<String, TargetLayer> layers = new ConcurrentHashMap<>();
    private final Map<String, GradientOps> gradients = new ConcurrentHashMap<>();

    /** A seed placeholder and the gradient it drives. */
    private record GradientOps(TensorRef seed, TensorRef gradient) {
    }

    private LoadedModel(Path directory, ModelDescriptor descriptor, ZooModel<NDList, NDList> model,
            TensorRef input, Map<String, TensorRef> outputs) {
        this.directory = directory;
        this.descriptor = descriptor;
        this.model = model;
        SavedModelBundle bundle = ((TfSymbolBlock) model.getBlock()).getSavedModelBundle();
        this.graph = new GraphSession(bundle.getGraph(), bundle.getSession());
        this.input = input;
        this.outputs = outputs;
        this.preprocessor = new Preprocessor(descriptor.input());
        this.scoreDecoder = !descriptor.task().detectsObjects() ? new ScoreDecoder(descriptor) : null;
        GraphPaths paths = new GraphPaths(graph, input);
        this.layerFinder = new LayerFinder(graph, paths, descriptor.input().layout());
        this.geometryTracer = new GeometryTracer(graph, paths, descriptor.input().layout());
        this.maxBatch = checkInputShape();
        checkOutputs();
    }

    /**
     * Loads {@code modelDir}: {@code lumen-model.json} plus a TensorFlow SavedModel, fully offline.
     * The graph is vetted before TensorFlow sees it (see {@link GraphPolicy}); function calls on
     * the path to the outputs (Keras-style exports) are inlined first (see {@link LoadableSavedModel}).
     *
     * @throws ModelLoadException (or its {@link InvalidDescriptorException}) saying what is wrong
     */
    public static LoadedModel load(Path modelDir) {
        if (!Files.isDirectory(modelDir)) {
            throw new ModelLoadException("model directory " + modelDir + " does not exist or is not a directory");
        }
        ModelDescriptor descriptor = ModelDescriptor.read(modelDir);
        if (!descriptor.task().detectsObjects() && descriptor.decoder() != null
                && !ScoreDecoder.NAMES.contains(descriptor.decoder())) {
            throw new InvalidDescriptorException(ModelDescriptor.FILE_NAME + ": decoder '" + descriptor.decoder()
                    + "' is not one of " + ScoreDecoder.NAMES + " for task " + descriptor.task().id());
        }
        SavedModelFile savedModel = SavedModelFile.read(modelDir);
        GraphPolicy.check(savedModel.meta());
        String signatureKey = descriptor.input().signatureKey();
        savedModel.resolveInput(signatureKey, descriptor.input().tensor());
        Map<String, TensorRef> declaredOutputs = savedModel.resolveOutputs(signatureKey, descriptor.outputs());

        ZooModel<NDList, NDList> model;
        SavedModelFile loaded;
        try (LoadableSavedModel loadable = LoadableSavedModel.prepare(modelDir, savedModel, declaredOutputs.values())) {
            model = loadWithDjl(loadable.directory(), signatureKey);
            loaded = loadable.file();
        }
        try {
            // Resolved again in the loaded graph: outputs of inlined calls now name the body's tensors.
            TensorRef input = loaded.resolveInput(signatureKey, descriptor.input().tensor());
            Map<String, TensorRef> outputs = loaded.resolveOutputs(signatureKey, descriptor.outputs());
            return new LoadedModel(modelDir, descriptor, model, input, outputs);
        } catch (RuntimeException e) {
            model.close();
            throw e;
        }
    }

    private static ZooModel<NDList, NDList> loadWithDjl(Path modelDir, String signatureKey) {
        Criteria<NDList, NDList> criteria = Criteria.builder()
                .setTypes(NDList.class, NDList.class)
                .optModelPath(modelDir)
                .optEngine("TensorFlow")
                .optOption("SignatureDefKey", signatureKey)
                .optTranslator(new NoopTranslator())
                .build();
        try {
            return criteria.loadModel();
        } catch (ModelNotFoundException | MalformedModelException | IOException | EngineException e) {
            throw new ModelLoadException("TensorFlow cannot load the SavedModel in " + modelDir + ": " + e.getMessage(), e);
        }
    }

    /** The model directory. */
    public Path directory() {
        return directory;
    }

    /** The descriptor read from {@code lumen-model.json}. */
    public ModelDescriptor descriptor() {
        return descriptor;
    }

    /** Image to input conversion for this model. */
    public Preprocessor preprocessor() {
        return preprocessor;
    }

    /** The largest batch one run may hold: 1 for graphs exported with a fixed batch size of 1. */
    public int maxBatch() {
        return maxBatch;
    }

    /**
     * The output role gradient methods differentiate: raw logits when the model exposes them
     * (softmax saturation flattens gradients of probabilities), else scores.
     */
    public String explainedRole() {
        if (!descriptor.groups().isEmpty()) {
            return descriptor.groups().get(0).output();
        }
        return descriptor.outputs().containsKey(ModelDescriptor.LOGITS) ? ModelDescriptor.LOGITS : ModelDescriptor.SCORES;
    }

    /**
     * The layer to explain at: {@code name} when given, else the descriptor's {@code targetLayer},
     * else the last 4-D spatial activation before the explained output; with its geometry in the
     * input. Cached.
     *
     * @throws IllegalArgumentException when a named layer is unusable
     * @throws ModelLoadException when discovery finds no layer
     */
    public TargetLayer targetLayer(String name) {
        return targetLayer(name, List.of(explainedRole()));
    }

    /**
     * The layer to explain at for gradients of the {@code roles} outputs: as {@link #targetLayer(String)},
     * but discovery finds the last 4-D spatial activation all of them depend on (a detector's score
     * outputs at several strides share the layers before their heads).
     */
    public TargetLayer targetLayer(String name, List<String> roles) {
        return targetLayer(name, roles, 0);
    }

    /**
     * As {@link #targetLayer(String, List)}, discovery preferring the closest layer at least
     * {@code minCells} cells high and wide (a detector's maps must resolve single objects).
     */
    public TargetLayer targetLayer(String name, List<String> roles, int minCells) {
        String requested = name != null ? name : descriptor.targetLayer();
        List<TensorRef> tensors = roles.stream().map(role -> {
            TensorRef tensor = outputs.get(role);
            if (tensor == null) {
                throw new ModelLoadException("no output with role '" + role + "' to differentiate");
            }
            return tensor;
        }).toList();
        return layers.computeIfAbsent((requested == null ? "" : requested) + "@" + String.join(",", roles) + "@" + minCells,
                key -> {
            TensorRef tensor = requested == null ? layerFinder.discover(tensors, minCells)
                    : layerFinder.named(requested, tensors);
            LayerGeometry geometry = geometryTracer.trace(tensor, descriptor.input().width(), descriptor.input().height());
            return new TargetLayer(tensor, requested == null, geometry);
        });
    }

    /**
     * Runs the model on prepared images, in batches of at most {@link #maxBatch()}, fetching every
     * output and, when {@code layer} is not null, the layer's activations as well (at no extra cost:
     * the forward pass computes them anyway).
     */
    public ForwardResult forward(List<ModelInput> images, TargetLayer layer) {
        List<String> roles = new ArrayList<>(outputs.keySet());
        List<TensorRef> fetches = new ArrayList<>();
        roles.forEach(role -> fetches.add(outputs.get(role)));
        if (layer != null) {
            fetches.add(layer.tensor());
        }
        List<List<FloatTensor>> chunks = new ArrayList<>();
        for (int from = 0; from < images.size(); from += maxBatch) {
            List<ModelInput> chunk = images.subList(from, Math.min(images.size(), from + maxBatch));
            chunks.add(graph.run(Map.of(input, preprocessor.tensor(chunk)), fetches));
        }
        Map<String, FloatTensor> byRole = new LinkedHashMap<>();
        for (int r = 0; r < roles.size(); r++) {
            byRole.put(roles.get(r), concat(chunks, r));
        }
        return new ForwardResult(byRole, layer == null ? null : concat(chunks, roles.size()));
    }

    /**
     * Runs one ready-made input batch (at most {@link #maxBatch()} images, already normalised in the
     * model's layout) and returns every output by role. Perturbation methods build their masked
     * tensors directly from the normalised image, which skips a pass per masked image.
     */
    public Map<String, FloatTensor> run(FloatTensor inputBatch) {
        if (inputBatch.batch() > maxBatch) {
            throw new IllegalArgumentException("batch " + inputBatch.batch() + " exceeds the model's maximum " + maxBatch);
        }
        List<String> roles = new ArrayList<>(outputs.keySet());
        List<FloatTensor> fetched = graph.run(Map.of(input, inputBatch), roles.stream().map(outputs::get).toList());
        Map<String, FloatTensor> byRole = new LinkedHashMap<>();
        for (int r = 0; r < roles.size(); r++) {
            byRole.put(roles.get(r), fetched.get(r));
        }
        return byRole;
    }

    /**
     * Per-label scores in [0, 1] for each image of a forward result (label-scoring tasks); for
     * semantic segmenters per pixel and label, flattened like {@link #labelScoreShape}.
     */
    public float[][] labelScores(ForwardResult result) {
        requireLabelScores();
        return scoreDecoder.decode(result.outputs());
    }

    /** The shape of one image's {@link #labelScores}: {@code [labels]}, or {@code [H, W, labels]} for segmenters. */
    public long[] labelScoreShape(ForwardResult result) {
        requireLabelScores();
        if (scoreDecoder.grouped()) {
            return new long[] {descriptor.labels().size()};
        }
        return result.outputs().get(scoreDecoder.role()).sampleShape();
    }

    /**
     * Gradients of weighted sums of the explained output with respect to the layer's activations,
     * one per seed: entry {@code t} of the result is {@code d(sum(seeds[t] * y)) / d(activation)}.
     * The activation is fed rather than recomputed, so the run only evaluates the graph between
     * the layer and the output and back: far cheaper than a forward pass for a late layer.
     *
     * @param image the prepared image (fed too, for graphs with paths around the layer)
     * @param layer the layer to differentiate at
     * @param forward this image's forward result (batch 1) including the layer's activations
     * @param seeds per explained target, a weight per element of one image's explained output
     */
    public FloatTensor layerGradients(ModelInput image, TargetLayer layer, ForwardResult forward, List<float[]> seeds) {
        return layerGradients(image, layer, forward, explainedRole(), seeds);
    }

    /**
     * As {@link #layerGradients(ModelInput, TargetLayer, ForwardResult, List)}, differentiating the
     * {@code role} output (a detector's score output) instead of the explained role.
     */
    public FloatTensor layerGradients(ModelInput image, TargetLayer layer, ForwardResult forward, String role,
            List<float[]> seeds) {
        if (forward.activations() == null || forward.activations().batch() != 1) {
            throw new IllegalArgumentException("layerGradients needs the forward result of one image with activations");
        }
        return layerGradients(List.of(image), layer, forward, role, seeds, new int[seeds.size()]);
    }

    /**
     * As {@link #layerGradients(ModelInput, TargetLayer, ForwardResult, String, List)} for the seeds of
     * several images at once: seed {@code t} belongs to image {@code imageOfSeed[t]} of {@code images},
     * whose activations are entry {@code imageOfSeed[t]} of {@code forward} (one batched forward run of
     * {@code images}). Seeds run in batches of at most {@link #maxBatch()}, whichever image they are of.
     */
    public FloatTensor layerGradients(List<ModelInput> images, TargetLayer layer, ForwardResult forward, String role,
            List<float[]> seeds, int[] imageOfSeed) {
        FloatTensor activations = forward.activations();
        if (activations == null || activations.batch() != images.size()) {
            throw new IllegalArgumentException("layerGradients needs the forward result of its " + images.size()
                    + " image(s) with activations");
        }
        if (imageOfSeed.length != seeds.size()) {
            throw new IllegalArgumentException(seeds.size() + " seeds but " + imageOfSeed.length + " image indices");
        }
        GradientOps ops = gradients.computeIfAbsent(layer.tensor() + "->" + role, key -> {
            String prefix = "lumen_gradients_" + GRADIENT_COUNTER.incrementAndGet();
            TensorRef seed = graph.addPlaceholder(prefix + "_seed");
            return new GradientOps(seed, graph.addGradient(prefix, outputs.get(role), layer.tensor(), seed));
        });
        long[] outputSampleShape = forward.outputs().get(role).sampleShape();
        FloatTensor imageTensor = preprocessor.tensor(images);
        List<List<FloatTensor>> parts = new ArrayList<>();
        for (int from = 0; from < seeds.size(); from += maxBatch) {
            int to = Math.min(seeds.size(), from + maxBatch);
            List<float[]> imageRows = new ArrayList<>(to - from);
            List<float[]> activationRows = new ArrayList<>(to - from);
            for (int t = from; t < to; t++) {
                imageRows.add(imageTensor.sample(imageOfSeed[t]));
                activationRows.add(activations.sample(imageOfSeed[t]));
            }
            Map<TensorRef, FloatTensor> feeds = new HashMap<>();
            feeds.put(input, FloatTensor.stack(imageTensor.sampleShape(), imageRows));
            feeds.put(layer.tensor(), FloatTensor.stack(activations.sampleShape(), activationRows));
            feeds.put(ops.seed(), FloatTensor.stack(outputSampleShape, seeds.subList(from, to)));
            parts.add(graph.run(feeds, List.of(ops.gradient())));
        }
        return concat(parts, 0);
    }

    @Override
    public void close() {
        model.close();
    }

    private void requireLabelScores() {
        if (scoreDecoder == null) {
            throw new UnsupportedOperationException("task " + descriptor.task().id() + " has no per-label scores");
        }
    }

    /** Checks the graph's input shape against the descriptor; returns the largest batch allowed. */
    private int checkInputShape() {
        long[] shape = graph.shape(input);
        if (shape == null) {
            return Integer.MAX_VALUE;
        }
        String dtype = graph.dtypeName(input);
        if (!dtype.equals(descriptor.input().dtype().id())) {
            throw new InvalidDescriptorException(ModelDescriptor.FILE_NAME + ": input.dtype is "
                    + descriptor.input().dtype().id() + " but the graph input " + input + " takes " + dtype
                    + (dtype.equals("uint8") ? " (raw pixel values: set \"dtype\": \"uint8\", scale 1)" : ""));
        }
        long[] expected = preprocessor.tensorShape(-1);
        if (shape.length != 4) {
            throw new InvalidDescriptorException(ModelDescriptor.FILE_NAME + ": input.tensor " + input
                    + " has shape " + Arrays.toString(shape) + ", expected a 4-D image batch");
        }
        String[] fields = descriptor.input().layout() == Layout.NHWC
                ? new String[] {"", "input.height", "input.width", "input.channels"}
                : new String[] {"", "input.channels", "input.height", "input.width"};
        if (descriptor.input().imageSize()) {
            int[] spatial = descriptor.input().layout() == Layout.NHWC ? new int[] {1, 2} : new int[] {2, 3};
            for (int d : spatial) {
                if (shape[d] != -1) {
                    throw new InvalidDescriptorException(ModelDescriptor.FILE_NAME + ": input.size is image but the graph"
                            + " input " + input + " has the fixed shape " + Arrays.toString(shape)
                            + "; image-sized inputs need a dynamic height and width");
                }
            }
        }
        for (int d = 1; d < 4; d++) {
            if (shape[d] != -1 && shape[d] != expected[d]) {
                throw new InvalidDescriptorException(ModelDescriptor.FILE_NAME + ": " + fields[d] + " is " + expected[d]
                        + " but the graph input " + input + " has shape " + Arrays.toString(shape)
                        + " (layout " + descriptor.input().layout() + ")");
            }
        }
        return shape[0] > 0 ? (int) shape[0] : Integer.MAX_VALUE;
    }

    private void checkOutputs() {
        outputs.forEach((role, tensor) -> {
            if (!graph.hasOperation(tensor.operation())) {
                throw new InvalidDescriptorException(ModelDescriptor.FILE_NAME + ": outputs." + role + " names "
                        + tensor + ", which is not in the graph");
            }
        });
        if (scoreDecoder == null) {
            return;
        }
        if (descriptor.task() == Task.SEMANTIC_SEGMENTATION) {
            checkSegmentationOutputs();
            return;
        }
        if (!descriptor.groups().isEmpty()) {
            checkGroupOutputs();
            return;
        }
        for (String role : List.of(ModelDescriptor.SCORES, ModelDescriptor.LOGITS)) {
            TensorRef tensor = outputs.get(role);
            long[] shape = tensor == null ? null : graph.shape(tensor);
            if (shape == null || shape.length < 2) {
                continue;
            }
            long perImage = 1;
            for (int d = 1; d < shape.length; d++) {
                perImage *= shape[d];
            }
            if (perImage > 0 && perImage != descriptor.labels().size()) {
                throw new InvalidDescriptorException(ModelDescriptor.FILE_NAME + ": labels has "
                        + descriptor.labels().size() + " entries but output '" + role + "' (" + tensor + ") has "
                        + perImage + " values per image");
            }
        }
    }

    /** Each attribute group's output holds one value per image and label of the group. */
    private void checkGroupOutputs() {
        Map<String, long[]> shapes = new HashMap<>();
        outputs.forEach((role, tensor) -> {
            long[] shape = graph.shape(tensor);
            if (shape != null) {
                shapes.put(role, shape);
            }
        });
        AttributeGroupShapes.check(descriptor.groups(), shapes);
    }

    /** A segmenter's score outputs are {@code [B, H, W, labels]} (one sigmoid channel for one label). */
    private void checkSegmentationOutputs() {
        for (String role : List.of(ModelDescriptor.SCORES, ModelDescriptor.LOGITS)) {
            TensorRef tensor = outputs.get(role);
            long[] shape = tensor == null ? null : graph.shape(tensor);
            if (shape == null) {
                continue;
            }
            if (shape.length != 4) {
                throw new InvalidDescriptorException(ModelDescriptor.FILE_NAME + ": outputs." + role + " (" + tensor
                        + ") has shape " + Arrays.toString(shape) + "; task semantic-segmentation needs"
                        + " [batch, height, width, labels]");
            }
            if (shape[3] > 0 && shape[3] != descriptor.labels().size()) {
                throw new InvalidDescriptorException(ModelDescriptor.FILE_NAME + ": labels has "
                        + descriptor.labels().size() + " entries but output '" + role + "' (" + tensor + ") has "
                        + shape[3] + " channels per pixel");
            }
        }
    }

    private static FloatTensor concat(List<List<FloatTensor>> chunks, int index) {
        if (chunks.size() == 1) {
            return chunks.get(0).get(index);
        }
        List<float[]> samples = new ArrayList<>();
        long[] sampleShape = null;
        for (List<FloatTensor> chunk : chunks) {
            FloatTensor part = chunk.get(index);
            sampleShape = part.sampleShape();
            for (int i = 0; i < part.batch(); i++) {
                samples.add(part.sample(i));
            }
        }
        return FloatTensor.stack(sampleShape, samples);
    }
}
