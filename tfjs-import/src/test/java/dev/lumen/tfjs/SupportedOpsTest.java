package dev.lumen.tfjs;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.tensorflow.TensorFlow;
import org.tensorflow.proto.OpDef;

/** The importer's list of TensorFlow operations against the operations the TensorFlow runtime registers. */
class SupportedOpsTest {

    @Test
    void listMatchesTheOperationsTensorFlowRegisters() throws Exception {
        Set<String> runtime = TensorFlow.registeredOpList().getOpList().stream().map(OpDef::getName)
                .collect(Collectors.toCollection(TreeSet::new));
        if (!runtime.equals(SupportedOps.registered())) {
            // After a TensorFlow upgrade: copy this file over src/main/resources/dev/lumen/tfjs/tensorflow-ops.txt.
            Files.write(Path.of("target", SupportedOps.RESOURCE), runtime);
        }
        assertThat(TensorFlow.version()).isEqualTo("2.16.1");
        assertThat(SupportedOps.registered()).containsExactlyInAnyOrderElementsOf(runtime);
    }

    @Test
    void tfjsOnlyOperationsAreNotInTheList() {
        assertThat(SupportedOps.registered()).contains("Conv2D", "DepthwiseConv2dNative", "BiasAdd", "Relu6", "LeakyRelu")
                .doesNotContain("FusedDepthwiseConv2dNative", "Prelu");
    }
}
