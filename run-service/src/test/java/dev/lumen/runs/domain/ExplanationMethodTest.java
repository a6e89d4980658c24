package dev.lumen.runs.domain;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** Which methods a run may ask for per model task: what the worker's explainer can do. */
class ExplanationMethodTest {

    @Test
    void segmentersAreExplainedByGradientsAndInstanceSegmentersByDRise() {
        for (ExplanationMethod gradient : new ExplanationMethod[] {
                ExplanationMethod.GRADCAM, ExplanationMethod.GRADCAM_PLUS_PLUS, ExplanationMethod.HIRESCAM}) {
            assertThat(gradient.supports(ModelTask.SEMANTIC_SEGMENTATION)).isTrue();
            assertThat(gradient.supports(ModelTask.INSTANCE_SEGMENTATION)).isFalse();
        }
        assertThat(ExplanationMethod.DRISE.supports(ModelTask.INSTANCE_SEGMENTATION)).isTrue();
        assertThat(ExplanationMethod.DRISE.supports(ModelTask.SEMANTIC_SEGMENTATION)).isFalse();
        assertThat(ExplanationMethod.RISE.supports(ModelTask.SEMANTIC_SEGMENTATION)).isFalse();
        assertThat(ExplanationMethod.RISE.supports(ModelTask.CLASSIFICATION)).isTrue();
    }
}
