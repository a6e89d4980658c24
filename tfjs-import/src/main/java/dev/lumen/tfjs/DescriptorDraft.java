package dev.lumen.tfjs;

import dev.lumen.explainer.model.ModelDescriptor.Layout;
import dev.lumen.explainer.model.ModelDescriptor;
import dev.lumen.catalogue.Task;
import dev.lumen.explainer.model.graphdef.GraphEditor;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;
import org.tensorflow.proto.NodeDef;
import org.tensorflow.proto.SignatureDef;
import org.tensorflow.proto.TensorInfo;

/**
 * Drafts the {@code lumen-model.json} of an imported model: input size and layout from the
 * signature's image input, a detector's output layout from the output shapes ({@link DetectionDraft}),
 * everything else from the options or, failing those, a guess that the draft's warnings name so that
 * a person can check it.
 */
final class DescriptorDraft {

    /** Defaults of {@code lumen-model.json}'s scoreThreshold (see explainer-core's descriptor format). */
    private static final double CLASSIFICATION_THRESHOLD = 0.0;
    private static final double DEFAULT_THRESHOLD = 0.5;
    /** The longest side an image-sized input is explained at (Object Detection API exports' usual 640). */
    private static final int DYNAMIC_MAX_SIDE = 640;

    private final SignatureDef signature;
    private final GraphEditor graph;
    private final ImportOptions options;
    private final List<String> warnings = new ArrayList<>();

    private DescriptorDraft(SignatureDef signature, GraphEditor graph, ImportOptions options) {
        this.signature = signature;
        this.graph = graph;
        this.options = options;
    }

    /** The draft and what in it was guessed. */
    record Draft(ModelDescriptor descriptor, List<String> warnings) {
    }

    static Draft draft(SignatureDef signature, GraphEditor graph, ImportOptions options) {
        DescriptorDraft draft = new DescriptorDraft(signature, graph, options);
        ModelDescriptor descriptor = draft.build();
        return new Draft(descriptor, List.copyOf(draft.warnings));
    }

    private ModelDescriptor build() {
        Map.Entry<String, TensorInfo> input = imageInput();
        long[] shape = Tensors.dims(input.getValue().getTensorShape());
        Layout layout = options.layout() != null ? options.layout() : layoutOf(shape);
        int channelAxis = layout == Layout.NCHW ? 1 : 3;
        boolean dynamicSize = shape[layout == Layout.NCHW ? 2 : 1] <= 0 && shape[layout == Layout.NCHW ? 3 : 2] <= 0
                && options.width() == null && options.height() == null;
        int height = dynamicSize ? DYNAMIC_MAX_SIDE : size(options.height(), shape[layout == Layout.NCHW ? 2 : 1], "height");
        int width = dynamicSize ? DYNAMIC_MAX_SIDE : size(options.width(), shape[layout == Layout.NCHW ? 3 : 2], "width");
        if (dynamicSize) {
            warnings.add("the graph takes any image size: each image is explained at its own size, at most "
                    + DYNAMIC_MAX_SIDE + " pixels a side, sides a multiple of "
                    + ModelDescriptor.Input.DEFAULT_SIZE_MULTIPLE + " (input.size image; give --size WxH for a fixed size)");
        }
        ModelDescriptor.Dtype dtype = switch (input.getValue().getDtype()) {
            case DT_UINT8 -> ModelDescriptor.Dtype.UINT8;
            case DT_INT32 -> ModelDescriptor.Dtype.INT32;
            default -> ModelDescriptor.Dtype.FLOAT32;
        };
        double scale = options.scale();
        if (dtype != ModelDescriptor.Dtype.FLOAT32 && scale != 1) {
            warnings.add("input '" + input.getKey() + "' is " + dtype.id() + ": it takes raw pixel values 0..255,"
                    + " so scale is 1" + (scale == ImportOptions.DEFAULT_SCALE ? "" : " (--scale " + scale + " ignored)"));
            scale = 1;
        }
        int channels = shape[channelAxis] > 0 ? (int) shape[channelAxis] : 3;
        if (channels != 1 && channels != 3) {
            throw new UnsupportedModelException("input '" + input.getKey() + "' has " + channels
                    + " channels in layout " + layout + "; Lumen feeds 1 (gray) or 3 (colour) channels");
        }
        Task task = task();
        ModelDescriptor.Input in = new ModelDescriptor.Input(ServingSignature.KEY,
                signature.getInputsCount() == 1 ? null : input.getKey(), layout, width, height, channels,
                options.colorOrder(), scale, perChannel(options.mean(), channels, 0.0, "mean"),
                perChannel(options.std(), channels, 1.0, "std"), dynamicSize ? ModelDescriptor.ResizeMode.STRETCH
                        : options.resize(), dtype, dynamicSize, ModelDescriptor.Input.DEFAULT_SIZE_MULTIPLE);
        DetectionDraft.Drafted detection = task.detectsObjects() && options.decoder() == null
                ? detection(task, width, height) : null;
        Map<String, String> outputs = detection != null ? detection.outputs() : outputs(task);
        String decoder = detection != null ? detection.decoder() : options.decoder();
        double threshold = options.scoreThreshold() != null ? options.scoreThreshold()
                : task == Task.CLASSIFICATION ? CLASSIFICATION_THRESHOLD : DEFAULT_THRESHOLD;
        List<String> labels = labels(task, outputs, detection == null ? null : detection.labels());
        return new ModelDescriptor(task, labels, in, outputs, decoder, threshold, options.targetLayer())
                .withDetection(detection == null ? null : detection.layout());
    }

    /** The detector's outputs drafted from their shapes: the roles given with --output, else every signature output. */
    private DetectionDraft.Drafted detection(Task task, int width, int height) {
        List<DetectionDraft.Output> candidates = new ArrayList<>();
        if (options.outputs().isEmpty()) {
            signature.getOutputsMap().forEach((key, info) ->
                    candidates.add(new DetectionDraft.Output(key, key, Tensors.dims(info.getTensorShape()))));
        } else {
            options.outputs().forEach((role, key) -> {
                TensorInfo info = signature.getOutputsMap().get(key);
                candidates.add(new DetectionDraft.Output(role, key, info == null ? null : Tensors.dims(info.getTensorShape())));
            });
        }
        Integer labelCount = options.labels() == null ? null : options.labels().size();
        return DetectionDraft.draft(candidates, labelCount, task, width, height,
                key -> signature.getOutputsMap().containsKey(key) && endsIn(signature.getOutputsMap().get(key), "Sigmoid"),
                warnings);
    }

    /** The only input, or the first of rank 4 (an image batch). */
    private Map.Entry<String, TensorInfo> imageInput() {
        List<Map.Entry<String, TensorInfo>> images = signature.getInputsMap().entrySet().stream()
                .filter(e -> e.getValue().getTensorShape().getDimCount() == 4).toList();
        if (images.isEmpty()) {
            throw new UnsupportedModelException("no signature input is a 4-D image batch (inputs: "
                    + describe(signature.getInputsMap()) + ")");
        }
        if (signature.getInputsCount() > 1) {
            warnings.add("the model has " + signature.getInputsCount() + " inputs; images go to '" + images.get(0).getKey()
                    + "' and the others are not fed");
        }
        return images.get(0);
    }

    /** NCHW when the second axis holds 1 or 3 channels and the last does not. */
    private Layout layoutOf(long[] shape) {
        boolean channelsSecond = shape[1] == 1 || shape[1] == 3;
        boolean channelsLast = shape[3] == 1 || shape[3] == 3;
        if (channelsSecond && !channelsLast) {
            return Layout.NCHW;
        }
        if (channelsSecond) {
            warnings.add("layout guessed NHWC from the ambiguous input shape " + Arrays.toString(shape));
        }
        return Layout.NHWC;
    }

    private int size(Integer requested, long fromGraph, String name) {
        if (requested != null) {
            if (fromGraph > 0 && fromGraph != requested) {
                throw new TfjsImportException("input " + name + " " + requested + " was requested but the graph fixes it at " + fromGraph);
            }
            return requested;
        }
        if (fromGraph <= 0) {
            throw new TfjsImportException("the graph does not fix the input " + name + "; give it in the options");
        }
        return (int) fromGraph;
    }

    private Task task() {
        if (options.task() != null) {
            return Arrays.stream(Task.values()).filter(t -> t.id().equals(options.task())).findFirst()
                    .orElseThrow(() -> new TfjsImportException("unknown task '" + options.task() + "'; one of "
                            + Arrays.stream(Task.values()).map(Task::id).toList()));
        }
        Task guess;
        if (signature.getOutputsCount() == 1 && rank(onlyOutput()) == 2) {
            guess = Task.CLASSIFICATION;
        } else if (signature.getOutputsCount() == 1 && rank(onlyOutput()) == 4) {
            guess = Task.SEMANTIC_SEGMENTATION;
        } else {
            guess = Task.DETECTION;
        }
        warnings.add("task guessed from the outputs: " + guess.id() + " (set it explicitly)");
        return guess;
    }

    /** Roles from the options, else one 'scores' or 'logits' output, else one role per output key. */
    private Map<String, String> outputs(Task task) {
        if (!options.outputs().isEmpty()) {
            options.outputs().forEach((role, key) -> {
                if (!signature.getOutputsMap().containsKey(key) && graph.producer(key) == null) {
                    throw new TfjsImportException("output role '" + role + "' names '" + key + "', which is neither a"
                            + " signature output (" + String.join(", ", signature.getOutputsMap().keySet())
                            + ") nor a graph tensor");
                }
            });
            return new LinkedHashMap<>(options.outputs());
        }
        Map<String, String> outputs = new LinkedHashMap<>();
        if (signature.getOutputsCount() == 1 && (task.scoresLabels() || task == Task.SEMANTIC_SEGMENTATION)) {
            String key = signature.getOutputsMap().keySet().iterator().next();
            String role = endsInProbabilities(onlyOutput()) ? ModelDescriptor.SCORES : ModelDescriptor.LOGITS;
            outputs.put(role, key);
            return outputs;
        }
        signature.getOutputsMap().keySet().forEach(key -> outputs.put(key, key));
        warnings.add("outputs: one role per signature output (" + String.join(", ", outputs.keySet())
                + "); name the roles your decoder expects");
        return outputs;
    }

    private List<String> labels(Task task, Map<String, String> outputs, Integer implied) {
        if (options.labels() != null) {
            return options.labels();
        }
        int count = implied != null ? implied : 1;
        String scoring = outputs.getOrDefault(ModelDescriptor.SCORES, outputs.get(ModelDescriptor.LOGITS));
        TensorInfo info = scoring == null ? null : signature.getOutputsMap().get(scoring);
        long[] shape = info == null ? null : Tensors.dims(info.getTensorShape());
        if (implied == null && shape != null && shape.length > 0 && shape[shape.length - 1] > 0) {
            count = (int) shape[shape.length - 1];
        }
        warnings.add("labels: " + count + " placeholder name" + (count == 1 ? "" : "s") + " (class_0, ...); give the"
                + " real labels for task " + task.id());
        return IntStream.range(0, count).mapToObj(i -> "class_" + i).toList();
    }

    /** Whether the output comes (through Identity nodes) from a Softmax or Sigmoid. */
    private boolean endsInProbabilities(TensorInfo output) {
        return endsIn(output, "Softmax", "Sigmoid");
    }

    /** Whether the output comes (through Identity nodes) from one of {@code ops}. */
    private boolean endsIn(TensorInfo output, String... ops) {
        NodeDef node = graph.producer(output.getName());
        while (node != null && node.getOp().equals("Identity")) {
            node = graph.producer(node.getInput(0));
        }
        return node != null && Arrays.asList(ops).contains(node.getOp());
    }

    private TensorInfo onlyOutput() {
        return signature.getOutputsMap().values().iterator().next();
    }

    private static int rank(TensorInfo info) {
        return info.getTensorShape().getUnknownRank() ? -1 : info.getTensorShape().getDimCount();
    }

    private static double[] perChannel(double[] values, int channels, double fallback, String name) {
        if (values == null) {
            double[] filled = new double[channels];
            Arrays.fill(filled, fallback);
            return filled;
        }
        if (values.length != channels) {
            throw new TfjsImportException(name + " has " + values.length + " values but the input has " + channels + " channels");
        }
        return values;
    }

    private static String describe(Map<String, TensorInfo> tensors) {
        List<String> parts = new ArrayList<>();
        tensors.forEach((key, info) -> parts.add(key + " " + Arrays.toString(Tensors.dims(info.getTensorShape()))));
        return String.join(", ", parts);
    }
}
