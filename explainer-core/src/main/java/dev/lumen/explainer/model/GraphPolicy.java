package dev.lumen.explainer.model;

import java.util.ArrayDeque;
import java.util.Deque;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.tensorflow.proto.AttrValue;
import org.tensorflow.proto.CollectionDef;
import org.tensorflow.proto.FunctionDef;
import org.tensorflow.proto.MetaGraphDef;
import org.tensorflow.proto.NodeDef;
import org.tensorflow.proto.SignatureDef;
import org.tensorflow.proto.TensorInfo;

/**
 * Decides, before TensorFlow sees a SavedModel, whether its graph may run inside a worker. Models
 * come from users; a graph is a program, and some operations reach outside the tensor world.
 *
 * <ul>
 *   <li>File-system, process and debugging operations ({@link #FORBIDDEN}) are refused wherever
 *       they appear, in the graph or in any function of its library.</li>
 *   <li>Checkpoint operations ({@link #CHECKPOINT}: Save, Restore, ShardedFilename, ...) are refused
 *       on everything that runs at load time (init ops) or inference time (signature outputs).
 *       They are tolerated only in the saver subgraph, because every SavedModel with variables
 *       carries one and TensorFlow's loader runs it with the model's own {@code variables/} path.</li>
 * </ul>
 */
final class GraphPolicy {

    /** Operations refused anywhere: they read or write files, run code or send data elsewhere. */
    static final Set<String> FORBIDDEN = Set.of(
            "ReadFile", "WriteFile", "MatchingFiles", "ImmutableConst",
            "PyFunc", "PyFuncStateless", "EagerPyFunc",
            "WholeFileReader", "WholeFileReaderV2", "TextLineReader", "TextLineReaderV2",
            "FixedLengthRecordReader", "FixedLengthRecordReaderV2", "TFRecordReader", "TFRecordReaderV2",
            "LMDBReader", "IdentityReader", "IdentityReaderV2",
            "TFRecordDataset", "TFRecordDatasetV2", "TextLineDataset", "FixedLengthRecordDataset",
            "FixedLengthRecordDatasetV2", "LMDBDataset", "ExperimentalLMDBDataset", "SqlDataset",
            "ExperimentalSqlDataset", "CSVDataset", "CSVDatasetV2", "ExperimentalCSVDataset",
            "DatasetToTFRecord", "ExperimentalDatasetToTFRecord", "SaveDataset", "SaveDatasetV2",
            "LoadDataset", "SnapshotDataset", "SnapshotDatasetV2", "RecordInput",
            "CreateSummaryFileWriter", "CreateSummaryDbWriter", "WriteSummary", "WriteRawProtoSummary",
            "WriteScalarSummary", "WriteHistogramSummary", "WriteImageSummary", "WriteAudioSummary",
            "WriteGraphSummary", "ImportEvent", "FlushSummaryWriter",
            "InitializeTableFromTextFile", "InitializeTableFromTextFileV2",
            "LoadAndRemapMatrix", "GenerateVocabRemapping",
            "DebugIdentity", "DebugIdentityV2", "DebugIdentityV3", "DebugNanCount", "DebugNumericSummary",
            "DebugNumericSummaryV2",
            "RemoteCall", "RemoteFusedGraphExecute", "FileSystemSetConfiguration");

    /** Checkpoint operations: allowed only in the saver subgraph. */
    static final Set<String> CHECKPOINT = Set.of(
            "Save", "SaveV2", "SaveSlices", "Restore", "RestoreV2", "RestoreSlice",
            "MergeV2Checkpoints", "ShardedFilename", "ShardedFilespec");

    /** Collections whose operations TensorFlow's loader runs after restoring variables. */
    private static final List<String> LOAD_TIME_COLLECTIONS = List.of(
            "saved_model_main_op", "legacy_init_op", "init_op", "table_initializer");

    private final Map<String, NodeDef> nodes = new HashMap<>();
    private final Map<String, FunctionDef> functions = new HashMap<>();

    private GraphPolicy(MetaGraphDef meta) {
        meta.getGraphDef().getNodeList().forEach(node -> nodes.put(node.getName(), node));
        meta.getGraphDef().getLibrary().getFunctionList()
                .forEach(function -> functions.put(function.getSignature().getName(), function));
    }

    /**
     * Checks a meta graph.
     *
     * @throws RefusedOperationException naming the first refused operation type and node
     */
    static void check(MetaGraphDef meta) {
        GraphPolicy policy = new GraphPolicy(meta);
        policy.refuseAnywhere();
        policy.refuseCheckpointOpsAt(runRoots(meta));
    }

    private void refuseAnywhere() {
        for (NodeDef node : nodes.values()) {
            refuseIf(FORBIDDEN, node, "the graph");
        }
        for (FunctionDef function : functions.values()) {
            for (NodeDef node : function.getNodeDefList()) {
                refuseIf(FORBIDDEN, node, "function '" + function.getSignature().getName() + "'");
            }
        }
    }

    private void refuseCheckpointOpsAt(Set<String> roots) {
        Deque<String> pending = new ArrayDeque<>(roots);
        Set<String> seen = new HashSet<>();
        Set<String> seenFunctions = new HashSet<>();
        while (!pending.isEmpty()) {
            String name = pending.pop();
            NodeDef node = nodes.get(name);
            if (node == null || !seen.add(name)) {
                continue;
            }
            refuseIf(CHECKPOINT, node, "the inference or load-time path");
            for (String input : node.getInputList()) {
                pending.push(nodeName(input));
            }
            checkFunctionsOf(node, seenFunctions);
        }
    }

    /** Function bodies are checked whole: which of their nodes run depends on runtime control flow. */
    private void checkFunctionsOf(NodeDef node, Set<String> seenFunctions) {
        Deque<String> pending = new ArrayDeque<>(calledFunctions(node));
        while (!pending.isEmpty()) {
            String name = pending.pop();
            FunctionDef function = functions.get(name);
            if (function == null || !seenFunctions.add(name)) {
                continue;
            }
            for (NodeDef inner : function.getNodeDefList()) {
                refuseIf(CHECKPOINT, inner, "function '" + name + "' on the inference or load-time path");
                pending.addAll(calledFunctions(inner));
            }
        }
    }

    private Set<String> calledFunctions(NodeDef node) {
        Set<String> called = new HashSet<>();
        if (functions.containsKey(node.getOp())) {
            called.add(node.getOp());
        }
        for (AttrValue attr : node.getAttrMap().values()) {
            if (attr.hasFunc()) {
                called.add(attr.getFunc().getName());
            }
            attr.getList().getFuncList().forEach(f -> called.add(f.getName()));
        }
        return called;
    }

    private static Set<String> runRoots(MetaGraphDef meta) {
        Set<String> roots = new HashSet<>();
        for (SignatureDef signature : meta.getSignatureDefMap().values()) {
            for (TensorInfo output : signature.getOutputsMap().values()) {
                roots.add(nodeName(output.getName()));
            }
        }
        for (String collection : LOAD_TIME_COLLECTIONS) {
            CollectionDef def = meta.getCollectionDefMap().get(collection);
            if (def != null) {
                def.getNodeList().getValueList().forEach(name -> roots.add(nodeName(name)));
            }
        }
        return roots;
    }

    private static void refuseIf(Set<String> refused, NodeDef node, String where) {
        if (refused.contains(node.getOp())) {
            throw new RefusedOperationException(node.getOp(), node.getName(), where,
                    "refusing to load the model: " + where + " contains a " + node.getOp()
                    + " operation (node '" + node.getName() + "'); " + reason(node.getOp())
                    + " is not allowed in models Lumen runs");
        }
    }

    private static String reason(String op) {
        if (CHECKPOINT.contains(op)) {
            return "checkpoint file access outside the variables restore";
        }
        if (op.contains("PyFunc")) {
            return "running Python code";
        }
        if (op.startsWith("Debug") || op.startsWith("Remote")) {
            return "sending tensors outside the process";
        }
        return "file-system access";
    }

    /** {@code ^name}, {@code name:1} and {@code name} all refer to node {@code name}. */
    static String nodeName(String input) {
        String name = input.startsWith("^") ? input.substring(1) : input;
        int colon = name.indexOf(':');
        return colon < 0 ? name : name.substring(0, colon);
    }
}
