package dev.lumen.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class DemoModelTest {

    @Test
    void theDefaultDemoExplainsTheDetectorWithDrise() {
        DemoModel model = DemoModel.choose(false, null, null);
        assertThat(model).isEqualTo(DemoModel.DETECTOR);
        assertThat(model.modelId()).isEqualTo("nanodet");
        assertThat(model.defaultMethod()).isEqualTo("drise");
    }

    @Test
    void aGradientMethodAloneChoosesTheClassifier() {
        assertThat(DemoModel.choose(false, null, "gradcam")).isEqualTo(DemoModel.CLASSIFIER);
        assertThat(DemoModel.choose(false, null, "HiResCAM")).isEqualTo(DemoModel.CLASSIFIER);
        assertThat(DemoModel.choose(false, null, "drise")).isEqualTo(DemoModel.DETECTOR);
        assertThat(DemoModel.choose(false, null, "odam")).isEqualTo(DemoModel.DETECTOR);
    }

    @Test
    void theTaskChoosesTheModelAndTheFixtureWinsOverBoth() {
        assertThat(DemoModel.choose(false, "segmentation", null).modelId()).isEqualTo("selfie");
        assertThat(DemoModel.choose(false, "classification", "rise")).isEqualTo(DemoModel.CLASSIFIER);
        assertThat(DemoModel.choose(true, null, "gradcam")).isEqualTo(DemoModel.FIXTURE);
        DemoModel attributes = DemoModel.choose(false, "attributes", "rise");
        assertThat(attributes.modelId()).isEqualTo("gear");
        assertThat(attributes.parameters()).containsEntry("cropMargin", 0.1);
    }

    @Test
    void aMethodThatDoesNotFitTheTaskIsRefusedWithTheChoices() {
        assertThatThrownBy(() -> DemoModel.choose(false, "detection", "rise"))
                .isInstanceOf(CliException.class).hasMessageContaining("drise");
        assertThatThrownBy(() -> DemoModel.choose(false, "segmentation", "drise"))
                .isInstanceOf(CliException.class).hasMessageContaining("gradcam");
        assertThatThrownBy(() -> DemoModel.choose(false, "pose", null))
                .isInstanceOf(CliException.class).hasMessageContaining("detection, classification, segmentation or attributes");
    }
}
