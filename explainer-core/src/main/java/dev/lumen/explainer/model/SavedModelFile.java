package dev.lumen.explainer.model;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.tensorflow.proto.GraphDef;
import org.tensorflow.proto.MetaGraphDef;
import org.tensorflow.proto.NodeDef;
import org.tensorflow.proto.SavedModel;
import org.tensorflow.proto.SignatureDef;
import org.tensorflow.proto.TensorInfo;

/**
 * {@code saved_model.pb} read as a protocol buffer, before TensorFlow loads it: enough to vet the
 * graph ({@link GraphPolicy}), to rewrite it ({@link LoadableSavedModel}) and to resolve the
 * descriptor's input and output names to graph tensors through the signature.
 */
final class SavedModelFile {

    static final String FILE_NAME = "saved_model.pb";
    static final String SERVE_TAG = "serve";

    private final MetaGraphDef meta;
    private final Map<TensorRef, TensorRef> aliases;
    private final Set<String> nodeNames = new TreeSet<>();

    private SavedModelFile(MetaGraphDef meta, Map<TensorRef, TensorRef> aliases) {
        this.meta = meta;
        this.aliases = Map.copyOf(aliases);
        meta.getGraphDef().getNodeList().stream().map(NodeDef::getName).forEach(nodeNames::add);
    }

    /** Reads the meta graph tagged {@code serve}. */
    static SavedModelFile read(Path dir) {
        Path file = dir.resolve(FILE_NAME);
        if (!Files.isRegularFile(file)) {
            throw new ModelLoadException("no " + FILE_NAME + " in " + dir + ": not a TensorFlow SavedModel directory");
        }
        SavedModel savedModel;
        try (InputStream in = Files.newInputStream(file)) {
            savedModel = SavedModel.parseFrom(in);
        } catch (IOException e) {
            throw new ModelLoadException(file + " is not a readable SavedModel: " + e.getMessage(), e);
        }
        return new SavedModelFile(savedModel.getMetaGraphsList().stream()
                .filter(m -> m.getMetaInfoDef().getTagsList().contains(SERVE_TAG))
                .findFirst()
                .orElseThrow(() -> new ModelLoadException(file + " has no meta graph tagged '" + SERVE_TAG + "'")),
                Map.of());
    }

    /**
     * This meta graph with {@code graph} instead of its graph. Tensors named in {@code aliases}
     * still exist but now resolve to what they alias (a replaced call's outputs to the tensors
     * its inlined body returns).
     */
    SavedModelFile withGraph(GraphDef graph, Map<TensorRef, TensorRef> aliases) {
        return new SavedModelFile(meta.toBuilder().setGraphDef(graph).build(), aliases);
    }

    /** Writes this meta graph as {@code dir/saved_model.pb}. */
    void writeTo(Path dir) throws IOException {
        try (OutputStream out = Files.newOutputStream(dir.resolve(FILE_NAME))) {
            SavedModel.newBuilder().setSavedModelSchemaVersion(1).addMetaGraphs(meta).build().writeTo(out);
        }
    }

    MetaGraphDef meta() {
        return meta;
    }

    /**
     * Resolves the input tensor: a key of the signature's inputs, a graph tensor name, or (when
     * {@code name} is null) the signature's only input.
     */
    TensorRef resolveInput(String signatureKey, String name) {
        return resolve(signature(signatureKey).getInputsMap(), signatureKey, name, "input.tensor", "inputs");
    }

    /** Resolves each output role to a tensor: signature output keys first, graph tensor names second. */
    /**
     * Per role the static shape the signature declares for its output (-1 for unknown dimensions),
     * or null when the role names a graph tensor or the signature gives no shape.
     */
    Map<String, long[]> outputShapes(String signatureKey, Map<String, String> roles) {
        Map<String, TensorInfo> signatureOutputs = signature(signatureKey).getOutputsMap();
        Map<String, long[]> shapes = new java.util.HashMap<>();
        roles.forEach((role, name) -> {
            TensorInfo info = signatureOutputs.get(name);
            if (info != null && info.hasTensorShape() && !info.getTensorShape().getUnknownRank()) {
                shapes.put(role, info.getTensorShape().getDimList().stream().mapToLong(d -> d.getSize()).toArray());
            }
        });
        return shapes;
    }

    Map<String, TensorRef> resolveOutputs(String signatureKey, Map<String, String> roles) {
        Map<String, TensorRef> outputs = new LinkedHashMap<>();
        Map<String, TensorInfo> signatureOutputs = signature(signatureKey).getOutputsMap();
        roles.forEach((role, name) ->
                outputs.put(role, resolve(signatureOutputs, signatureKey, name, "outputs." + role, "outputs")));
        return outputs;
    }

    private SignatureDef signature(String key) {
        SignatureDef signature = meta.getSignatureDefMap().get(key);
        if (signature == null) {
            throw new InvalidDescriptorException(ModelDescriptor.FILE_NAME + ": input.signatureKey '" + key
                    + "' is not a signature of the SavedModel (it has: "
                    + String.join(", ", new TreeSet<>(meta.getSignatureDefMap().keySet())) + ")");
        }
        return signature;
    }

    private TensorRef resolve(Map<String, TensorInfo> entries, String signatureKey, String name, String field, String kind) {
        if (name == null) {
            if (entries.size() == 1) {
                return unaliased(TensorRef.parse(entries.values().iterator().next().getName()));
            }
            throw new InvalidDescriptorException(ModelDescriptor.FILE_NAME + ": " + field + " is required: signature '"
                    + signatureKey + "' has " + kind + " " + new TreeSet<>(entries.keySet()));
        }
        TensorInfo info = entries.get(name);
        if (info != null) {
            return unaliased(TensorRef.parse(info.getName()));
        }
        TensorRef tensor = TensorRef.parse(name);
        if (nodeNames.contains(tensor.operation())) {
            return unaliased(tensor);
        }
        throw new InvalidDescriptorException(ModelDescriptor.FILE_NAME + ": " + field + " '" + name
                + "' is neither one of the " + kind + " of signature '" + signatureKey + "' "
                + new TreeSet<>(entries.keySet()) + " nor an operation of the graph");
    }

    private TensorRef unaliased(TensorRef tensor) {
        return aliases.getOrDefault(tensor, tensor);
    }
}
