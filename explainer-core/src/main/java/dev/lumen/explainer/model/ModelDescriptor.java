package dev.lumen.explainer.model;

import dev.lumen.catalogue.Task;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * What Lumen needs to know about a SavedModel that the SavedModel itself does not say: the task,
 * the labels, how images become input tensors, and which outputs hold scores. Read from
 * {@value #FILE_NAME} next to {@code saved_model.pb}; the format is documented in
 * {@code explainer-core/README.md}.
 *
 * @param task what the model predicts
 * @param labels label names, indexed like the model's score vector
 * @param input how an image becomes the input tensor
 * @param outputs output role (e.g. {@code scores}, {@code logits}) to signature output key or graph
 *     tensor name ({@code op:index})
 * @param decoder how raw outputs become predictions; null means the task's default
 * @param scoreThreshold predictions below this score are not explained
 * @param targetLayer graph tensor or operation to explain at; null means discover automatically
 * @param background for semantic segmenters, the label index of the background class (its pixels
 *     are never explained); null when every class is a foreground class
 * @param detection for detectors, how the outputs hold proposals ({@code decoder} {@value
 *     DetectionLayout#DECODER}); null for the named decoders and other tasks
 * @param groups for attribute models with several output heads, one group per head; then
 *     {@code labels} are the groups' values in order, each as {@code group: value}. Empty otherwise
 */
public record ModelDescriptor(
        Task task,
        List<String> labels,
        Input input,
        Map<String, String> outputs,
        String decoder,
        double scoreThreshold,
        String targetLayer,
        Integer background,
        DetectionLayout detection,
        List<AttributeGroup> groups) {

    /** The descriptor's file name inside a model directory. */
    public static final String FILE_NAME = "lumen-model.json";

    /** Output role holding scores in [0, 1] (probabilities). */
    public static final String SCORES = "scores";

    /** Output role holding raw scores before softmax or sigmoid. */
    public static final String LOGITS = "logits";

    /** Copies the collections, so a descriptor never changes after reading. */
    public ModelDescriptor {
        labels = List.copyOf(labels);
        outputs = Map.copyOf(outputs);
        groups = groups == null ? List.of() : List.copyOf(groups);
    }

    /** A descriptor without attribute groups. */
    public ModelDescriptor(Task task, List<String> labels, Input input, Map<String, String> outputs, String decoder,
            double scoreThreshold, String targetLayer, Integer background, DetectionLayout detection) {
        this(task, labels, input, outputs, decoder, scoreThreshold, targetLayer, background, detection, List.of());
    }

    /** Labels of a grouped model, each value of each group as {@code group: value}, in order. */
    public static List<String> groupLabels(List<AttributeGroup> groups) {
        List<String> labels = new ArrayList<>();
        for (AttributeGroup group : groups) {
            for (int i = 0; i < group.labels().size(); i++) {
                labels.add(group.displayLabel(i));
            }
        }
        return labels;
    }

    /** The group label {@code index} belongs to, or null for a model without groups. */
    public AttributeGroup groupOf(int index) {
        int offset = 0;
        for (AttributeGroup group : groups) {
            if (index < offset + group.labels().size()) {
                return group;
            }
            offset += group.labels().size();
        }
        return null;
    }

    /** The index in {@code labels} of the first value of {@code group}. */
    public int offsetOf(AttributeGroup group) {
        int offset = 0;
        for (AttributeGroup g : groups) {
            if (g.equals(group)) {
                return offset;
            }
            offset += g.labels().size();
        }
        throw new IllegalArgumentException("group " + group.name() + " is not one of this descriptor's");
    }

    /** A descriptor without a background class or detection layout. */
    public ModelDescriptor(Task task, List<String> labels, Input input, Map<String, String> outputs, String decoder,
            double scoreThreshold, String targetLayer) {
        this(task, labels, input, outputs, decoder, scoreThreshold, targetLayer, null, null);
    }

    /** A descriptor without a detection layout. */
    public ModelDescriptor(Task task, List<String> labels, Input input, Map<String, String> outputs, String decoder,
            double scoreThreshold, String targetLayer, Integer background) {
        this(task, labels, input, outputs, decoder, scoreThreshold, targetLayer, background, null);
    }

    /** This descriptor with another detection layout (its decoder becomes {@value DetectionLayout#DECODER}). */
    public ModelDescriptor withDetection(DetectionLayout layout) {
        return new ModelDescriptor(task, labels, input, outputs, layout == null ? decoder : DetectionLayout.DECODER,
                scoreThreshold, targetLayer, background, layout, groups);
    }

    /**
     * Reads and validates {@code dir/lumen-model.json}.
     *
     * @throws InvalidDescriptorException naming the file and the offending field
     */
    public static ModelDescriptor read(Path dir) {
        Path file = dir.resolve(FILE_NAME);
        if (!Files.isRegularFile(file)) {
            throw new InvalidDescriptorException(FILE_NAME + ": not found in " + dir);
        }
        try {
            return DescriptorParser.parse(Files.readAllBytes(file));
        } catch (IOException e) {
            throw new InvalidDescriptorException(FILE_NAME + ": cannot read " + file + ": " + e.getMessage(), e);
        }
    }

    /**
     * Parses and validates the bytes of a {@code lumen-model.json} (an uploaded one, before any file
     * exists).
     *
     * @throws InvalidDescriptorException naming the offending field
     */
    public static ModelDescriptor parse(byte[] json) {
        return DescriptorParser.parse(json);
    }

    /** Writes this descriptor as {@code dir/lumen-model.json}, in the documented format. */
    public void write(Path dir) {
        ObjectMapper mapper = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
        ObjectNode root = mapper.createObjectNode();
        root.put("task", task.id());
        if (groups.isEmpty()) {
            ArrayNode labelArray = root.putArray("labels");
            labels.forEach(labelArray::add);
        }
        ObjectNode in = root.putObject("input");
        in.put("signatureKey", input.signatureKey());
        if (input.tensor() != null) {
            in.put("tensor", input.tensor());
        }
        if (input.dtype() != Dtype.FLOAT32) {
            in.put("dtype", input.dtype().id());
        }
        in.put("layout", input.layout().name());
        in.put("width", input.width());
        in.put("height", input.height());
        in.put("channels", input.channels());
        in.put("colorOrder", input.colorOrder().name());
        in.put("scale", input.scale());
        ArrayNode mean = in.putArray("mean");
        for (double m : input.mean()) {
            mean.add(m);
        }
        ArrayNode std = in.putArray("std");
        for (double s : input.std()) {
            std.add(s);
        }
        in.put("resize", input.resize().id());
        if (input.imageSize()) {
            in.put("size", "image");
            in.put("sizeMultiple", input.sizeMultiple());
        }
        ObjectNode out = root.putObject("outputs");
        outputs.entrySet().stream().sorted(Map.Entry.comparingByKey()).forEach(e -> out.put(e.getKey(), e.getValue()));
        if (decoder != null) {
            root.put("decoder", decoder);
        }
        root.put("scoreThreshold", scoreThreshold);
        if (targetLayer != null) {
            root.put("targetLayer", targetLayer);
        }
        if (background != null) {
            root.put("background", background);
        }
        if (detection != null) {
            DetectionLayoutFormat.write(detection, root);
        }
        if (!groups.isEmpty()) {
            ArrayNode groupArray = root.putArray("groups");
            for (AttributeGroup group : groups) {
                ObjectNode node = groupArray.addObject();
                node.put("name", group.name());
                node.put("output", group.output());
                node.put("decoder", group.decoder().id());
                ArrayNode values = node.putArray("labels");
                group.labels().forEach(values::add);
            }
        }
        try {
            Files.createDirectories(dir);
            mapper.writeValue(dir.resolve(FILE_NAME).toFile(), root);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + dir.resolve(FILE_NAME), e);
        }
    }

    /** Memory layout of the input tensor. */
    public enum Layout {
        /** Batch, height, width, channels (TensorFlow's default). */
        NHWC,
        /** Batch, channels, height, width (PyTorch and ONNX exports). */
        NCHW
    }

    /**
     * The element type of the input tensor. Integer inputs (the Object Detection API's {@code uint8}
     * images) get the preprocessed values rounded and clamped to the type's range; gradient methods
     * then start at the first float tensor after the graph's own cast.
     */
    public enum Dtype {
        /** 32-bit floats. */
        FLOAT32("float32"),
        /** Unsigned bytes 0..255 (raw pixel values). */
        UINT8("uint8"),
        /** 32-bit integers. */
        INT32("int32");

        private final String id;

        Dtype(String id) {
            this.id = id;
        }

        /** The name used in {@code lumen-model.json}. */
        public String id() {
            return id;
        }
    }

    /** Channel order the model expects. */
    public enum ColorOrder {
        /** Red, green, blue. */
        RGB,
        /** Blue, green, red (OpenCV-trained models). */
        BGR
    }

    /** How an image of another aspect ratio is fitted to the input size. */
    public enum ResizeMode {
        /** Scale each axis independently to fill the input. */
        STRETCH("stretch"),
        /** Keep the aspect ratio, centre the image, pad the rest with black. */
        LETTERBOX("letterbox");

        private final String id;

        ResizeMode(String id) {
            this.id = id;
        }

        /** The name used in {@code lumen-model.json}. */
        public String id() {
            return id;
        }
    }

    /**
     * How an image becomes the input tensor: each channel value becomes
     * {@code (pixel * scale - mean[c]) / std[c]}, with {@code pixel} in 0..255 and channels in
     * {@code colorOrder}.
     *
     * @param signatureKey signature to run, usually {@code serving_default}
     * @param tensor signature input key or graph tensor name; null when the signature has one input
     * @param layout NHWC or NCHW
     * @param width input width in pixels
     * @param height input height in pixels
     * @param channels 3 for colour, 1 for grayscale (luma)
     * @param colorOrder RGB or BGR
     * @param scale factor applied to 0..255 pixel values before mean and std
     * @param mean per-channel value subtracted after scaling
     * @param std per-channel divisor applied last
     * @param resize stretch or letterbox
     * @param dtype the input tensor's element type
     * @param imageSize whether each image is explained at its own size (a graph of dynamic height and
     *     width): scaled down to fit {@code width x height} with its aspect kept, each side rounded
     *     down to a multiple of {@code sizeMultiple}; false to resize every image to {@code width x height}
     * @param sizeMultiple what each side of an image-sized input is a multiple of (the network's stride)
     */
    public record Input(
            String signatureKey,
            String tensor,
            Layout layout,
            int width,
            int height,
            int channels,
            ColorOrder colorOrder,
            double scale,
            double[] mean,
            double[] std,
            ResizeMode resize,
            Dtype dtype,
            boolean imageSize,
            int sizeMultiple) {

        /** Strides of common detectors (YOLO, SSD, the fixtures) divide 32. */
        public static final int DEFAULT_SIZE_MULTIPLE = 32;

        /** Copies the arrays, so an input spec never changes after construction. */
        public Input {
            mean = mean.clone();
            std = std.clone();
        }

        /** A float32 input. */
        public Input(String signatureKey, String tensor, Layout layout, int width, int height, int channels,
                ColorOrder colorOrder, double scale, double[] mean, double[] std, ResizeMode resize) {
            this(signatureKey, tensor, layout, width, height, channels, colorOrder, scale, mean, std, resize,
                    Dtype.FLOAT32, false, DEFAULT_SIZE_MULTIPLE);
        }

        /** The input size for an image of {@code imageWidth x imageHeight}: fixed, or its own (see {@link #imageSize}). */
        public int[] sizeFor(int imageWidth, int imageHeight) {
            if (!imageSize) {
                return new int[] {width, height};
            }
            double fit = Math.min(1, Math.min(width / (double) imageWidth, height / (double) imageHeight));
            int w = Math.max(sizeMultiple, (int) (imageWidth * fit) / sizeMultiple * sizeMultiple);
            int h = Math.max(sizeMultiple, (int) (imageHeight * fit) / sizeMultiple * sizeMultiple);
            return new int[] {w, h};
        }

        /** Per-channel mean (a copy). */
        @Override
        public double[] mean() {
            return mean.clone();
        }

        /** Per-channel standard deviation (a copy). */
        @Override
        public double[] std() {
            return std.clone();
        }
    }
}
