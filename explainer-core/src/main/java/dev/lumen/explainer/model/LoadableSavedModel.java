package dev.lumen.explainer.model;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Collection;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;

/**
 * The SavedModel directory TensorFlow loads for Lumen. A graph whose inference path runs through
 * function calls (Keras / TF2 exports) is loaded from a rewritten copy with those calls inlined
 * ({@link FunctionInliner}), so that gradients and intermediate activations are reachable; any
 * other graph is loaded from the user's directory as it is.
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
    private final boolean temporary;

    private LoadableSavedModel(Path directory, SavedModelFile file, int inlinedCalls, boolean temporary) {
        this.directory = directory;
        this.file = file;
        this.inlinedCalls = inlinedCalls;
        this.temporary = temporary;
    }

    /**
     * Prepares {@code modelDir} for loading.
     *
     * @param original its parsed {@code saved_model.pb}, already vetted
     * @param roots the tensors Lumen will run (the descriptor's outputs)
     */
    static LoadableSavedModel prepare(Path modelDir, SavedModelFile original, Collection<TensorRef> roots) {
        if (!FunctionInliner.hasCalls(original.meta().getGraphDef())) {
            return new LoadableSavedModel(modelDir, original, 0, false);
        }
        FunctionInliner.Result inlined = FunctionInliner.inline(original.meta().getGraphDef(), roots);
        if (inlined.inlinedCalls() == 0) {
            return new LoadableSavedModel(modelDir, original, 0, false);
        }
        SavedModelFile rewritten = original.withGraph(inlined.graph(), inlined.aliases());
        Path copy = null;
        try {
            copy = Files.createTempDirectory("lumen-inlined-");
            rewritten.writeTo(copy);
            for (String name : LINKED) {
                Path source = modelDir.resolve(name);
                if (Files.exists(source)) {
                    Files.createSymbolicLink(copy.resolve(name), source.toAbsolutePath());
                }
            }
            return new LoadableSavedModel(copy, rewritten, inlined.inlinedCalls(), true);
        } catch (IOException | UnsupportedOperationException e) {
            deleteQuietly(copy);
            throw new ModelLoadException("cannot prepare the inlined copy of " + modelDir + ": " + e.getMessage(), e);
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
