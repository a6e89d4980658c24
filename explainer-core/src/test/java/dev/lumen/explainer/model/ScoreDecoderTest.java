package dev.lumen.explainer.model;

import dev.lumen.catalogue.Task;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.data.Offset.offset;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ScoreDecoderTest {

    private static final ModelDescriptor.Input INPUT = new ModelDescriptor.Input("serving_default", null,
            ModelDescriptor.Layout.NHWC, 2, 1, 3, ModelDescriptor.ColorOrder.RGB, 1, new double[3],
            new double[] {1, 1, 1}, ModelDescriptor.ResizeMode.STRETCH);

    @Test
    void segmenterLogitsGoThroughASoftmaxPerPixel() {
        ModelDescriptor descriptor = new ModelDescriptor(Task.SEMANTIC_SEGMENTATION, List.of("a", "b"), INPUT,
                Map.of("logits", "out"), null, 0.5, null);
        FloatTensor logits = new FloatTensor(new long[] {1, 1, 2, 2}, new float[] {0, 0, 2, 0});
        float[] scores = new ScoreDecoder(descriptor).decode(Map.of("logits", logits))[0];
        assertThat(scores[0]).isCloseTo(0.5f, offset(1e-6f));
        assertThat(scores[1]).isCloseTo(0.5f, offset(1e-6f));
        assertThat(scores[2]).isCloseTo((float) (1 / (1 + Math.exp(-2))), offset(1e-6f));
        assertThat(scores[2] + scores[3]).isCloseTo(1f, offset(1e-6f));
    }

    @Test
    void aSingleLabelSegmenterGetsASigmoid() {
        ModelDescriptor descriptor = new ModelDescriptor(Task.SEMANTIC_SEGMENTATION, List.of("person"), INPUT,
                Map.of("logits", "out"), null, 0.5, null);
        FloatTensor logits = new FloatTensor(new long[] {1, 1, 2, 1}, new float[] {0, 2});
        float[] scores = new ScoreDecoder(descriptor).decode(Map.of("logits", logits))[0];
        assertThat(scores[0]).isCloseTo(0.5f, offset(1e-6f));
        assertThat(scores[1]).isCloseTo((float) (1 / (1 + Math.exp(-2))), offset(1e-6f));
    }
}
