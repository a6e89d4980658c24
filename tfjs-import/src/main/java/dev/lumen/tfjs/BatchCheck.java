package dev.lumen.tfjs;

import dev.lumen.explainer.model.ModelDescriptor;
import dev.lumen.explainer.model.ModelDescriptor.Layout;
import dev.lumen.explainer.model.graphdef.GraphEditor;
import dev.lumen.tensorflow.TensorFlowEnvironment;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.tensorflow.Graph;
import org.tensorflow.Result;
import org.tensorflow.Session;
import org.tensorflow.Tensor;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.ndarray.buffer.DataBuffers;
import org.tensorflow.proto.DataType;
import org.tensorflow.proto.GraphDef;
import org.tensorflow.proto.NodeDef;
import org.tensorflow.proto.SignatureDef;
import org.tensorflow.proto.TensorInfo;
import org.tensorflow.types.TFloat32;
import org.tensorflow.types.TInt32;
import org.tensorflow.types.TUint8;
import org.tensorflow.types.family.TType;

/**
 * Makes the batch dimension dynamic only where that provably keeps what the graph computes (see
 * {@code docs/decisions/0041-verified-dynamic-batch.md}). {@link BatchDimension} rewrites every shape
 * operand whose leading 1 sits on the input's path, but a leading 1 is not always the batch:
 * CenterNet's {@code BatchGather} folds the batch into its first axis and reshapes 100 gathered rows
 * back to {@code [1, 100, 4]}, so the rewrite asks for {@code [100, 100, 4]}. Each rewrite is
 * therefore checked by running the exported graph and the rewritten one on the same two probe images
 * (pixels drawn with a fixed seed, normalised as the descriptor says):
 * <ol>
 *   <li>at batch 1, every signature output must be equal; a rewrite that changes its own node's
 *       output (or fails there) is undone by name and the check runs again;</li>
 *   <li>at batch 2, each image must get its own batch-1 outputs. If not, the graph cannot take a
 *       batch without a rewrite the importer cannot make: the whole rewrite is refused, naming the
 *       node, and the SavedModel keeps batch 1 (Lumen then runs one image per forward pass).</li>
 * </ol>
 */
final class BatchCheck {

    /** Differences up to this fraction of an output's largest magnitude are kernel rounding (oneDNN picks kernels by shape). */
    private static final double TOLERANCE = 1e-4;
    private static final long SEED = 0x6C756D656EL;
    private static final Pattern NODE = Pattern.compile("\\{\\{node ([^}]+)}}");

    /**
     * The outcome.
     *
     * @param graph the graph to write: rewritten when {@link #dynamic}, else the exported one unchanged
     * @param signature its signature (batch -1 when dynamic)
     * @param rewrites what was rewritten ({@code Placeholder NAME}, {@code Reshape NAME}); empty when refused
     * @param summary one line on what the check ran and found
     * @param notes what the report lists under {@code check:} (undone rewrites, a refusal)
     * @param dynamic whether the graph now takes any batch
     */
    record Outcome(GraphDef graph, SignatureDef signature, List<String> rewrites, String summary, List<String> notes,
            boolean dynamic) {
    }

    private final GraphDef exported;
    private final SignatureDef signature;
    private final Probe probe;

    private BatchCheck(GraphDef exported, SignatureDef signature, ModelDescriptor.Input input) {
        this.exported = exported;
        this.signature = signature;
        this.probe = Probe.of(signature, input);
    }

    /**
     * Rewrites a copy of {@code exported} for a dynamic batch and verifies it as described above.
     *
     * @param exported the graph as imported (batch fixed at 1)
     * @param signature its serving signature
     * @param input how images become the input tensor (size, layout, normalisation of the probes)
     * @throws UnsupportedModelException when the exported graph itself does not run on the probes
     */
    static Outcome makeDynamic(GraphDef exported, SignatureDef signature, ModelDescriptor.Input input) {
        if (!TfjsImporter.fixesBatchOfOne(signature)) {
            return new Outcome(exported, signature, List.of(), "nothing to rewrite: the input already takes any batch",
                    List.of(), true);
        }
        TensorFlowEnvironment.prepare();
        return new BatchCheck(exported, signature, input).run();
    }

    private Outcome run() {
        long started = System.nanoTime();
        List<String> notes = new ArrayList<>();
        Set<String> kept = new LinkedHashSet<>();
        try (Runner reference = new Runner(exported, probe.feed())) {
            Map<String, Fetched> first = reference.outputs(signature, probe.batch(0));
            Map<String, Fetched> second = reference.outputs(signature, probe.batch(1));
            while (true) {
                GraphEditor graph = new GraphEditor(exported);
                List<String> rewrites = BatchDimension.makeDynamic(graph, kept);
                Map<String, NodeDef> rewrittenNodes = new LinkedHashMap<>();
                rewrites.stream().filter(r -> !r.startsWith("Placeholder "))
                        .map(r -> r.substring(r.indexOf(' ') + 1)).forEach(name -> rewrittenNodes.put(name, graph.node(name)));
                GraphDef rewritten = graph.toGraphDef();
                SignatureDef dynamicSignature = ServingSignature.withDynamicBatch(signature);
                Runner loaded;
                try {
                    loaded = new Runner(rewritten, probe.feed());
                } catch (RuntimeException e) {
                    // TensorFlow's shape inference already sees the contradiction when the graph loads.
                    String node = failingNode(e);
                    if (node != null && rewrittenNodes.containsKey(node)) {
                        kept.add(node);
                        notes.add(undone(rewrittenNodes.get(node), failure(e)));
                        continue;
                    }
                    return refused(notes, "the rewritten graph does not load (" + failure(e) + ")", started);
                }
                try (Runner candidate = loaded) {
                    String batchOne = candidate.differences(dynamicSignature, probe.batch(0), first);
                    if (batchOne != null) {
                        NodeDef culprit = culprit(reference, candidate, rewrittenNodes.values());
                        if (culprit != null) {
                            kept.add(culprit.getName());
                            notes.add(undone(culprit, batchOne));
                            continue;
                        }
                        return refused(notes, "the rewritten graph differs at batch 1 (" + batchOne + ")", started);
                    }
                    String batchTwo = candidate.itemDifferences(dynamicSignature, probe.pair(), List.of(first, second));
                    if (batchTwo != null) {
                        return refused(notes, "at batch 2 " + batchTwo, started);
                    }
                    String summary = "verified: batch-1 outputs equal the exported graph's, and a batch of 2 gives each"
                            + " image its own (" + seconds(started) + " s)";
                    return new Outcome(rewritten, dynamicSignature, rewrites, summary, notes, true);
                }
            }
        }
    }

    private static String undone(NodeDef node, String why) {
        return "batch: the rewrite of " + node.getOp() + " '" + node.getName() + "' was undone: it changes what the graph"
                + " computes at batch 1 (" + why + "); its leading 1 is not the batch";
    }

    private Outcome refused(List<String> notes, String why, long started) {
        List<String> all = new ArrayList<>(notes);
        all.add("batch: --dynamic-batch refused: " + why + ". The SavedModel keeps the exported batch of 1, so Lumen"
                + " runs one image per forward pass");
        return new Outcome(exported, signature, List.of(), "refused after " + seconds(started) + " s of checks (see check:"
                + " batch)", all, false);
    }

    /**
     * A rewritten node that fails, or whose output at batch 1 differs from the exported graph's while
     * its data input does not (a node fed by another culprit is not one itself); null when none.
     */
    private NodeDef culprit(Runner reference, Runner candidate, Iterable<NodeDef> rewrittenNodes) {
        for (NodeDef node : rewrittenNodes) {
            Fetched expected = reference.tensor(node.getName(), probe.batch(0));
            Fetched actual;
            try {
                actual = candidate.tensor(node.getName(), probe.batch(0));
            } catch (RuntimeException e) {
                if (candidate.runs(BatchDimension.dataInput(node), probe.batch(0))) {
                    return node;
                }
                continue;
            }
            String data = BatchDimension.dataInput(node);
            if (expected.difference(actual) != null
                    && reference.tensor(data, probe.batch(0)).difference(candidate.tensor(data, probe.batch(0))) == null) {
                return node;
            }
        }
        return null;
    }

    private static String seconds(long started) {
        return String.format("%.1f", (System.nanoTime() - started) / 1e9);
    }

    /** Two probe images with the input's dtype, size, layout and normalisation. */
    private record Probe(String feed, DataType type, long[] shape, byte[][] images) {

        static Probe of(SignatureDef signature, ModelDescriptor.Input input) {
            Map.Entry<String, TensorInfo> entry = signature.getInputsMap().entrySet().stream()
                    .filter(e -> input.tensor() == null || e.getKey().equals(input.tensor())).findFirst()
                    .orElseThrow();
            DataType type = entry.getValue().getDtype();
            long[] shape = input.layout() == Layout.NCHW
                    ? new long[] {1, input.channels(), input.height(), input.width()}
                    : new long[] {1, input.height(), input.width(), input.channels()};
            Random random = new Random(SEED);
            byte[][] images = new byte[2][];
            for (int i = 0; i < 2; i++) {
                images[i] = image(type, input, random);
            }
            return new Probe(entry.getValue().getName(), type, shape, images);
        }

        private static byte[] image(DataType type, ModelDescriptor.Input input, Random random) {
            int channels = input.channels();
            int pixels = input.width() * input.height();
            int size = pixels * channels;
            ByteBuffer bytes = ByteBuffer.allocate(size * (type == DataType.DT_UINT8 ? 1 : 4)).order(ByteOrder.LITTLE_ENDIAN);
            for (int i = 0; i < size; i++) {
                int channel = input.layout() == Layout.NCHW ? i / pixels : i % channels;
                int value = random.nextInt(256);
                switch (type) {
                    case DT_FLOAT -> bytes.putFloat((float) ((value * input.scale() - input.mean()[channel]) / input.std()[channel]));
                    case DT_INT32 -> bytes.putInt(value);
                    case DT_UINT8 -> bytes.put((byte) value);
                    default -> throw new UnsupportedModelException("cannot verify --dynamic-batch: the input takes "
                            + type + "; the check feeds float32, int32 or uint8");
                }
            }
            return bytes.array();
        }

        Tensor batch(int image) {
            return tensor(shape, images[image]);
        }

        Tensor pair() {
            byte[] both = new byte[images[0].length * 2];
            System.arraycopy(images[0], 0, both, 0, images[0].length);
            System.arraycopy(images[1], 0, both, images[0].length, images[1].length);
            long[] two = shape.clone();
            two[0] = 2;
            return tensor(two, both);
        }

        private Tensor tensor(long[] dims, byte[] data) {
            Class<? extends TType> kind = switch (type) {
                case DT_INT32 -> TInt32.class;
                case DT_UINT8 -> TUint8.class;
                default -> TFloat32.class;
            };
            return Tensor.of(kind, Shape.of(dims), DataBuffers.of(data, true, false));
        }
    }

    /** A graph in a session of its own. */
    private static final class Runner implements AutoCloseable {
        private final Graph graph;
        private final Session session;
        private final String feed;

        Runner(GraphDef graphDef, String feed) {
            this.feed = feed;
            graph = new Graph();
            graph.importGraphDef(graphDef);
            session = new Session(graph);
        }

        /** Every signature output on {@code input}; a failure here is the exported graph's own. */
        Map<String, Fetched> outputs(SignatureDef signature, Tensor input) {
            try {
                return fetch(signature, input);
            } catch (RuntimeException e) {
                throw new UnsupportedModelException("cannot verify --dynamic-batch: the exported graph fails on a probe"
                        + " image: " + firstLine(e));
            }
        }

        /** How the outputs on {@code input} differ from {@code expected}, or null when they do not. */
        String differences(SignatureDef signature, Tensor input, Map<String, Fetched> expected) {
            Map<String, Fetched> actual;
            try {
                actual = fetch(signature, input);
            } catch (RuntimeException e) {
                return failure(e);
            }
            for (Map.Entry<String, Fetched> output : expected.entrySet()) {
                String difference = output.getValue().difference(actual.get(output.getKey()));
                if (difference != null) {
                    return "output '" + output.getKey() + "' " + difference;
                }
            }
            return null;
        }

        /** How each image's slice of the batched outputs differs from its own batch-1 outputs, or null. */
        String itemDifferences(SignatureDef signature, Tensor batch, List<Map<String, Fetched>> perImage) {
            Map<String, Fetched> actual;
            try {
                actual = fetch(signature, batch);
            } catch (RuntimeException e) {
                return failure(e);
            }
            for (String key : perImage.get(0).keySet()) {
                Fetched fetched = actual.get(key);
                int items = perImage.size();
                Fetched single = perImage.get(0).get(key);
                int itemBytes = single.bytes().length;
                long[] expectedShape = single.shape().clone();
                if (expectedShape.length > 0) {
                    expectedShape[0] *= items;
                }
                if (expectedShape.length == 0 || single.shape()[0] != 1 || !Arrays.equals(expectedShape, fetched.shape())) {
                    return "output '" + key + "' has shape " + Arrays.toString(fetched.shape()) + " for " + items
                            + " images of outputs " + Arrays.toString(single.shape());
                }
                for (int i = 0; i < items; i++) {
                    Fetched slice = new Fetched(fetched.type(), single.shape(),
                            Arrays.copyOfRange(fetched.bytes(), i * itemBytes, (i + 1) * itemBytes));
                    String difference = perImage.get(i).get(key).difference(slice);
                    if (difference != null) {
                        return "output '" + key + "' of image " + (i + 1) + " of 2 " + difference
                                + " (the batch leaks between images)";
                    }
                }
            }
            return null;
        }

        /** Whether {@code tensor} can be computed on {@code input}. */
        boolean runs(String tensor, Tensor input) {
            try {
                tensor(tensor, input);
                return true;
            } catch (RuntimeException e) {
                return false;
            }
        }

        /** One tensor ({@code node} or {@code node:index}) on {@code input}. */
        Fetched tensor(String node, Tensor input) {
            Session.Runner runner = session.runner().feed(feed, input).fetch(node);
            try (Result result = runner.run()) {
                return Fetched.of(result.get(0));
            } finally {
                input.close();
            }
        }

        private Map<String, Fetched> fetch(SignatureDef signature, Tensor input) {
            Session.Runner runner = session.runner().feed(feed, input);
            List<String> keys = new ArrayList<>(signature.getOutputsMap().keySet());
            keys.forEach(key -> runner.fetch(signature.getOutputsMap().get(key).getName()));
            try (Result result = runner.run()) {
                Map<String, Fetched> fetched = new LinkedHashMap<>();
                for (int i = 0; i < keys.size(); i++) {
                    fetched.put(keys.get(i), Fetched.of(result.get(i)));
                }
                return fetched;
            } finally {
                input.close();
            }
        }

        @Override
        public void close() {
            session.close();
            graph.close();
        }
    }

    /** A fetched tensor: its type, shape and raw (little-endian) bytes. */
    private record Fetched(DataType type, long[] shape, byte[] bytes) {

        static Fetched of(Tensor tensor) {
            byte[] bytes = new byte[(int) tensor.numBytes()];
            tensor.asRawTensor().data().read(bytes);
            return new Fetched(tensor.dataType(), tensor.shape().asArray(), bytes);
        }

        /** How {@code actual} differs from this tensor, or null when it does not (within {@link #TOLERANCE} for floats). */
        String difference(Fetched actual) {
            if (!Arrays.equals(shape, actual.shape())) {
                return "has shape " + Arrays.toString(actual.shape()) + " instead of " + Arrays.toString(shape);
            }
            return compare(type, bytes, actual.bytes());
        }
    }

    /** Null when equal within {@link #TOLERANCE} (floats) or exactly (other types); else what differs. */
    static String compare(DataType type, byte[] expected, byte[] actual) {
        if (expected.length != actual.length) {
            return "has " + actual.length + " bytes instead of " + expected.length;
        }
        if (type != DataType.DT_FLOAT) {
            return Arrays.equals(expected, actual) ? null : "holds other values";
        }
        ByteBuffer a = ByteBuffer.wrap(expected).order(ByteOrder.LITTLE_ENDIAN);
        ByteBuffer b = ByteBuffer.wrap(actual).order(ByteOrder.LITTLE_ENDIAN);
        int count = expected.length / 4;
        double largest = 0;
        for (int i = 0; i < count; i++) {
            largest = Math.max(largest, Math.abs(a.getFloat(i * 4)));
        }
        double allowed = TOLERANCE * Math.max(1, largest);
        double worst = 0;
        int at = -1;
        for (int i = 0; i < count; i++) {
            float x = a.getFloat(i * 4);
            float y = b.getFloat(i * 4);
            double difference = Float.isNaN(x) && Float.isNaN(y) ? 0 : Math.abs(x - y);
            if (!(difference <= worst)) {
                worst = difference;
                at = i;
            }
        }
        return worst <= allowed ? null : String.format("differs by up to %.3g at element %d (%.6g instead of %.6g)",
                worst, at, b.getFloat(at * 4), a.getFloat(at * 4));
    }

    /** {@code node 'NAME' fails: WHAT}, from TensorFlow's message (which names the node as {@code {{node NAME}}}). */
    private static String failure(RuntimeException e) {
        String node = failingNode(e);
        return (node != null ? "node '" + node + "' fails: " : "the run fails: ") + firstLine(e);
    }

    private static String failingNode(RuntimeException e) {
        Matcher node = NODE.matcher(String.valueOf(e.getMessage()));
        return node.find() ? node.group(1) : null;
    }

    /** The message's first line, without the node description shape inference appends. */
    private static String firstLine(RuntimeException e) {
        String message = String.valueOf(e.getMessage()).strip();
        int newline = message.indexOf('\n');
        String line = newline < 0 ? message : message.substring(0, newline).strip();
        int nodeDescription = line.indexOf(" for '{{node ");
        return nodeDescription < 0 ? line : line.substring(0, nodeDescription);
    }
}
