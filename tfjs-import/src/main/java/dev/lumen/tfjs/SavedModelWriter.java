package dev.lumen.tfjs;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import org.tensorflow.proto.GraphDef;
import org.tensorflow.proto.MetaGraphDef;
import org.tensorflow.proto.SavedModel;
import org.tensorflow.proto.SignatureDef;

/**
 * Writes a graph as a TensorFlow SavedModel: {@code saved_model.pb} with one meta graph tagged
 * {@code serve} and the {@code serving_default} signature, and an empty {@code variables/} folder
 * (all weights are Const nodes, so there is nothing to restore).
 */
final class SavedModelWriter {

    static final String FILE_NAME = "saved_model.pb";
    static final String SERVE_TAG = "serve";

    private SavedModelWriter() {
    }

    /** Writes {@code dir/saved_model.pb} (replacing it atomically) and {@code dir/variables/}; returns its size. */
    static long write(Path dir, GraphDef graph, SignatureDef signature) {
        SavedModel savedModel = SavedModel.newBuilder()
                .setSavedModelSchemaVersion(1)
                .addMetaGraphs(MetaGraphDef.newBuilder()
                        .setMetaInfoDef(MetaGraphDef.MetaInfoDef.newBuilder().addTags(SERVE_TAG))
                        .setGraphDef(graph)
                        .putSignatureDef(ServingSignature.KEY, signature))
                .build();
        Path target = dir.resolve(FILE_NAME);
        try {
            Files.createDirectories(dir.resolve("variables"));
            Path partial = dir.resolve(FILE_NAME + ".partial");
            try (OutputStream out = Files.newOutputStream(partial)) {
                savedModel.writeTo(out);
            }
            Files.move(partial, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            return Files.size(target);
        } catch (IOException e) {
            throw new TfjsImportException("cannot write " + target + ": " + e.getMessage(), e);
        }
    }
}
