package dev.lumen.explainer.model;

import dev.lumen.explainer.model.graphdef.FusedOpSplitter;
import dev.lumen.explainer.model.graphdef.GraphEditor;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Collection;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.tensorflow.proto.GraphDef;

/**
 * The SavedModel directory TensorFlow loads for Lumen. A graph whose inference path runs through
 * function calls (Keras / TF2 exports) or that holds fused operations without a gradient
 * ({@code _FusedConv2D}, {@code _FusedMatMul}) is loaded from a rewritten copy: calls inlined
 * ({@link FunctionInliner}), then fused operations split ({@link FusedOpSplitter}), so that
 * gradients and intermediate activations are reachable and every operation on the gradient path
 * is a plain one. Any other graph is loaded from the user's directory as it is.
 *
 * <p>The copy is a temporary directory holding the rewritten {@code saved_model.pb} and links to
 * the original {@code variables/} and {@code assets/}: TensorFlow restores the variables from the
 * user's checkpoint through the unchanged restore function. Close it once TensorFlow has loaded
 * the model (the session then holds everything in memory).
 */
final class LoadableSavedModel implements AutoCloseable {

    private static final List<String> LINKED = List.of("variables", "assets");

    private final Path directory;
    private final SavedModelFile file;
    private final int inlinedCalls;
    private final Map<String, Integer> unfusedOps;
    private final boolean temporary;

    private LoadableSavedModel(Path directory, SavedModelFile file, int inlinedCalls, Map<String, Integer> unfusedOps,
            boolean temporary) {
        this.directory = directory;
        this.file = file;
        this.inlinedCalls = inlinedCalls;
        this.unfusedOps = Map.copyOf(unfusedOps);
        this.temporary = temporary;
    }

    /**
     * Prepares {@code modelDir} for loading.
     *
     * @param original its parsed {@code saved_model.pb}, already vetted
     * @param roots the tensors Lumen will run (the descriptor's outputs)
     */
    static LoadableSavedModel prepare(Path modelDir, SavedModelFile original, Collection<TensorRef> roots) {
        GraphDef graph = original.meta().getGraphDef();
        FunctionInliner.Result inlined = FunctionInliner.hasCalls(graph)
                ? FunctionInliner.inline(graph, roots)
                : new FunctionInliner.Result(graph, 0, Map.of());
        GraphEditor editor = new GraphEditor(inlined.graph());
        Map<String, Integer> unfused = FusedOpSplitter.split(editor);
        if (inlined.inlinedCalls() == 0 && unfused.isEmpty()) {
            return new LoadableSavedModel(modelDir, original, 0, Map.of(), false);
        }
        SavedModelFile rewritten = original.withGraph(editor.toGraphDef(), inlined.aliases());
        Path copy = null;
        try {
            copy = Files.createTempDirectory("lumen-rewritten-");
            rewritten.writeTo(copy);
            for (String name : LINKED) {
                Path source = modelDir.resolve(name);
                if (Files.exists(source)) {
                    Files.createSymbolicLink(copy.resolve(name), source.toAbsolutePath());
                }
            }
            return new LoadableSavedModel(copy, rewritten, inlined.inlinedCalls(), unfused, true);
        } catch (IOException | UnsupportedOperationException e) {
            deleteQuietly(copy);
            throw new ModelLoadException("cannot prepare the rewritten copy of " + modelDir + ": " + e.getMessage(), e);
        }
    }

    /** The directory to hand to TensorFlow. */
    Path directory() {
        return directory;
    }

    /** The graph TensorFlow will load, for resolving names. */
    SavedModelFile file() {
        return file;
    }

    /** How many function calls were inlined (0 when the original is loaded as is). */
    int inlinedCalls() {
        return inlinedCalls;
    }

    /** Fused operations split into plain ones, by type (empty when none). */
    Map<String, Integer> unfusedOps() {
        return unfusedOps;
    }

    /** Deletes the temporary copy, if any (the links, never what they point to). */
    @Override
    public void close() {
        if (temporary) {
            deleteQuietly(directory);
        }
    }

    private static void deleteQuietly(Path dir) {
        if (dir == null) {
            return;
        }
        try (Stream<Path> paths = Files.walk(dir)) {
            for (Path path : paths.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(path);
            }
        } catch (IOException | UncheckedIOException e) {
            // A leftover temporary file is harmless; failing the load over it would not be.
        }
    }
}
