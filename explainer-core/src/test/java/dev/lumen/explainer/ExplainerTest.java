package dev.lumen.explainer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.lumen.explainer.metric.ContextTest;
import dev.lumen.fixtures.SquaresFixture.LabelledImage;
import java.awt.image.BufferedImage;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class ExplainerTest {

    private static Explainer explainer;
    private static LabelledImage first;

    @BeforeAll
    static void load() {
        explainer = new Explainer(SquaresModel.model());
        first = SquaresModel.heldOut().get(0);
    }

    @Test
    void explainsTheTopClassWithAMapAlignedToTheImage() throws Exception {
        ExplainResult result = explainer.explain(GroundTruthTest.read(first), ExplainOptions.of("gradcam"));
        assertThat(result.skippedReason()).isNull();
        assertThat(result.predictions()).hasSize(3);
        assertThat(result.predictions().get(0).score()).isGreaterThanOrEqualTo(result.predictions().get(1).score());
        assertThat(result.explanations()).hasSize(1);
        TargetExplanation explanation = result.explanations().get(0);
        assertThat(explanation.target()).isEqualTo(result.predictions().get(0));
        assertThat(explanation.target().kind()).isEqualTo("class");
        assertThat(explanation.saliency().width()).isEqualTo(96);
        assertThat(explanation.saliency().max()).isEqualTo(1f);
        assertThat(result.forwardPasses()).isEqualTo(1 + 2 * 17);
        assertThat(result.explainMs()).isGreaterThanOrEqualTo(0);
    }

    @Test
    void theContextTestBlursTheObjectAndThenTheContextOfAGroundTruthBox() throws Exception {
        // The squares are the whole signal: blurring the square takes the score away, blurring the rest does not.
        int fellWithObject = 0;
        int keptWithoutContext = 0;
        List<LabelledImage> images = SquaresModel.heldOut().subList(0, 12);
        for (LabelledImage image : images) {
            ExplainResult result = explainer.explain(GroundTruthTest.read(image), new ExplainOptions("gradcam", null,
                    Map.of("class", image.label()), List.of(new ImageObject(image.box(), image.label()))));
            TargetExplanation explanation = result.explanations().get(0);
            var context = explanation.context();
            assertThat(context.reference()).isEqualTo(ContextTest.ContextScores.GROUND_TRUTH);
            assertThat(result.forwardPasses()).isEqualTo(1 + 2 * 17 + ContextTest.ContextScores.FORWARD_PASSES);
            double score = explanation.target().score();
            fellWithObject += score - context.objectRemovedScore() > 0.3 ? 1 : 0;
            keptWithoutContext += score - context.contextRemovedScore() < 0.1 ? 1 : 0;
        }
        System.out.printf("context test on %d squares: score fell with the square blurred on %d, kept with the rest"
                + " blurred on %d%n", images.size(), fellWithObject, keptWithoutContext);
        assertThat(fellWithObject).isGreaterThanOrEqualTo(10);
        assertThat(keptWithoutContext).isGreaterThanOrEqualTo(10);
        // Off, or without a box of the target's label, there is no test.
        assertThat(explainer.explain(GroundTruthTest.read(first), new ExplainOptions("gradcam", null,
                Map.of("contextTest", false), List.of(new ImageObject(first.box(), first.label())))).explanations().get(0)
                .context()).isNull();
    }

    @Test
    void aChosenClassIsExplainedWhateverItsScore() throws Exception {
        String other = SquaresModel.model().descriptor().labels().get((first.index() + 1) % 3);
        ExplainResult result = explainer.explain(GroundTruthTest.read(first),
                new ExplainOptions("gradcam", null, Map.of("class", other, "metrics", false)));
        assertThat(result.explanations()).hasSize(1);
        assertThat(result.explanations().get(0).target().label()).isEqualTo(other);
        assertThat(result.explanations().get(0).deletionAuc()).isNull();
        assertThat(result.forwardPasses()).isEqualTo(1);
        ExplainResult byIndex = explainer.explain(GroundTruthTest.read(first),
                new ExplainOptions("gradcam", null, Map.of("class", 2, "metrics", "false")));
        assertThat(byIndex.explanations().get(0).target().index()).isEqualTo(2);
    }

    @Test
    void anImageWithoutPatternIsSkippedWithTheThreshold() {
        // All black: every activation is a bias, and the model, trained to give noise-only images
        // equal scores, gives a third to each class.
        BufferedImage black = new BufferedImage(96, 96, BufferedImage.TYPE_INT_RGB);
        ExplainResult result = explainer.explain(black, ExplainOptions.of("gradcam"));
        assertThat(result.explanations()).isEmpty();
        assertThat(result.skippedReason()).isEqualTo("no prediction above 0.5");
        assertThat(result.predictions()).isNotEmpty();
        assertThat(result.targetLayer()).isEqualTo("relu4");
    }

    @Test
    void badMethodsAndParametersNameWhatIsAllowed() throws Exception {
        BufferedImage image = GroundTruthTest.read(first);
        assertThatThrownBy(() -> explainer.explain(image, ExplainOptions.of("lime")))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("unknown method 'lime'; allowed: gradcam, gradcam++, hirescam, ");
        assertThatThrownBy(() -> explainer.explain(image, new ExplainOptions("gradcam", null, Map.of("masks", 100))))
                .hasMessageStartingWith("parameter masks is taken by rise, drise, not by gradcam; gradcam takes: targetLayer");
        assertThatThrownBy(() -> explainer.explain(image, new ExplainOptions("gradcam", null, Map.of("class", "purple"))))
                .hasMessageContaining("class 'purple' is not a label of this model (labels: horizontal-stripes");
        assertThatThrownBy(() -> explainer.explain(image, new ExplainOptions("gradcam", null, Map.of("metricSteps", 1))))
                .hasMessageContaining("metricSteps must be in 2..256");
        Map<String, Object> withNull = new HashMap<>();
        withNull.put("class", null);
        assertThat(new ExplainOptions("gradcam", null, withNull).parameters()).isEmpty();
    }

    @Test
    void theTargetLayerCanBeOverridden() throws Exception {
        ExplainResult result = explainer.explain(GroundTruthTest.read(first),
                new ExplainOptions("gradcam", null, Map.of("targetLayer", "relu3", "metrics", false)));
        assertThat(result.targetLayer()).isEqualTo("relu3");
        assertThat(result.explanations().get(0).saliency().max()).isEqualTo(1f);
    }

    @Test
    void concurrentExplanationsMatchSequentialOnes() throws Exception {
        List<LabelledImage> images = SquaresModel.heldOut().subList(0, 8);
        ExplainOptions options = ExplainOptions.of("gradcam");
        List<ExplainResult> sequential = new ArrayList<>();
        for (LabelledImage image : images) {
            sequential.add(explainer.explain(GroundTruthTest.read(image), options));
        }
        ExecutorService pool = Executors.newFixedThreadPool(4);
        try {
            List<Future<ExplainResult>> parallel = new ArrayList<>();
            for (LabelledImage image : images) {
                parallel.add(pool.submit(() -> explainer.explain(GroundTruthTest.read(image), options)));
            }
            for (int i = 0; i < images.size(); i++) {
                TargetExplanation expected = sequential.get(i).explanations().get(0);
                TargetExplanation actual = parallel.get(i).get().explanations().get(0);
                assertThat(actual.target().index()).isEqualTo(expected.target().index());
                assertThat(actual.saliency().argMax()).isEqualTo(expected.saliency().argMax());
                assertThat(actual.deletionAuc()).isCloseTo(expected.deletionAuc(), org.assertj.core.data.Offset.offset(1e-4));
            }
        } finally {
            pool.shutdown();
        }
    }
}
