package dev.lumen.explainer.model;

import dev.lumen.catalogue.Task;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.lumen.fixtures.FixtureModelWriter;
import dev.lumen.fixtures.FixtureModelWriter.TensorSpec;
import dev.lumen.explainer.model.ModelDescriptor.ColorOrder;
import dev.lumen.explainer.model.ModelDescriptor.Input;
import dev.lumen.explainer.model.ModelDescriptor.Layout;
import dev.lumen.explainer.model.ModelDescriptor.ResizeMode;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.function.BiFunction;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.tensorflow.Graph;
import org.tensorflow.Operand;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.op.Ops;
import org.tensorflow.op.core.Placeholder;
import org.tensorflow.types.TFloat32;

/** Models whose graphs reach outside the tensor world are refused before TensorFlow loads them. */
class GraphPolicyTest {

    @TempDir
    Path dir;

    @Test
    void refusesAGraphThatReadsFilesNamingTheOperation() {
        writeModel((tf, scores) -> {
            // Not even connected to the outputs: its mere presence is refused.
            tf.withName("steal").io.readFile(tf.constant("/etc/passwd"));
            return Map.of();
        });
        assertThatThrownBy(() -> LoadedModel.load(dir))
                .isInstanceOf(ModelLoadException.class)
                .hasMessageContaining("ReadFile")
                .hasMessageContaining("'steal'")
                .hasMessageContaining("file-system access");
    }

    @Test
    void refusesCheckpointOperationsOnTheInferencePath() {
        writeModel((tf, scores) -> {
            tf.withName("shard").io.shardedFilename(tf.constant("/tmp/x"), tf.constant(0), tf.constant(1));
            return Map.of("name", new TensorSpec("shard:0"));
        });
        assertThatThrownBy(() -> LoadedModel.load(dir))
                .isInstanceOf(ModelLoadException.class)
                .hasMessageContaining("ShardedFilename")
                .hasMessageContaining("inference or load-time path");
    }

    @Test
    void loadsACleanGraph() {
        writeModel((tf, scores) -> Map.of());
        try (LoadedModel model = LoadedModel.load(dir)) {
            assertThat(model.descriptor().labels()).containsExactly("a", "b");
        }
    }

    /** A tiny model (mean colour to two scores) plus whatever {@code extra} adds to the graph and signature. */
    private void writeModel(BiFunction<Ops, Operand<TFloat32>, Map<String, TensorSpec>> extra) {
        try (Graph graph = new Graph()) {
            Ops tf = Ops.create(graph);
            Placeholder<TFloat32> image = tf.withName("image")
                    .placeholder(TFloat32.class, Placeholder.shape(Shape.of(-1, 8, 8, 3)));
            Operand<TFloat32> pooled = tf.math.mean(image, tf.constant(new int[] {1, 2}));
            Operand<TFloat32> scores = tf.withName("scores").nn.softmax(
                    tf.linalg.matMul(pooled, tf.constant(new float[][] {{1, -1}, {0, 1}, {-1, 0}})));
            Map<String, TensorSpec> outputs = new java.util.HashMap<>(Map.of("scores", new TensorSpec("scores:0", -1, 2)));
            outputs.putAll(extra.apply(tf, scores));
            FixtureModelWriter.write(dir, graph.toGraphDef(), Map.of("image", new TensorSpec("image:0", -1, 8, 8, 3)), outputs);
        }
        new ModelDescriptor(Task.CLASSIFICATION, List.of("a", "b"),
                new Input("serving_default", "image", Layout.NHWC, 8, 8, 3, ColorOrder.RGB, 1.0 / 255,
                        new double[3], new double[] {1, 1, 1}, ResizeMode.STRETCH),
                Map.of("scores", "scores"), null, 0, null).write(dir);
    }
}
