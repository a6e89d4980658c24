package dev.lumen.explainer;

import static org.assertj.core.api.Assertions.assertThat;

import dev.lumen.fixtures.SquaresFixture.LabelledImage;
import dev.lumen.explainer.metric.DeletionInsertion;
import dev.lumen.explainer.metric.Faithfulness;
import dev.lumen.explainer.model.LoadedModel;
import dev.lumen.explainer.model.ModelInput;
import dev.lumen.render.SaliencyMap;
import java.awt.image.BufferedImage;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** Deletion and insertion AUC of Grad-CAM maps against random maps on the squares fixture. */
class FaithfulnessTest {

    @Test
    void gradCamBeatsRandomMapsOnDeletionAndInsertion() throws Exception {
        LoadedModel model = SquaresModel.model();
        Explainer explainer = new Explainer(model);
        DeletionInsertion metric = new DeletionInsertion(DeletionInsertion.DEFAULT_STEPS, 32);
        Random random = new Random(3);
        double gradCamDeletion = 0;
        double gradCamInsertion = 0;
        double randomDeletion = 0;
        double randomInsertion = 0;
        int count = 0;
        for (LabelledImage image : SquaresModel.heldOut()) {
            BufferedImage picture = GroundTruthTest.read(image);
            ExplainResult result = explainer.explain(picture, ExplainOptions.of("gradcam"));
            TargetExplanation explanation = result.explanations().get(0);
            assertThat(explanation.deletionAuc()).isBetween(0.0, 1.0);
            assertThat(explanation.insertionAuc()).isBetween(0.0, 1.0);
            gradCamDeletion += explanation.deletionAuc();
            gradCamInsertion += explanation.insertionAuc();

            ModelInput input = model.preprocessor().prepare(picture);
            float[] noise = new float[input.width() * input.height()];
            for (int i = 0; i < noise.length; i++) {
                noise[i] = random.nextFloat();
            }
            int label = explanation.target().index();
            Faithfulness baseline = metric.evaluate(input, new SaliencyMap(noise, input.width(), input.height()),
                    inputs -> {
                        float[][] scores = model.labelScores(model.forward(inputs, null));
                        double[] target = new double[scores.length];
                        for (int i = 0; i < target.length; i++) {
                            target[i] = scores[i][label];
                        }
                        return target;
                    });
            randomDeletion += baseline.deletionAuc();
            randomInsertion += baseline.insertionAuc();
            count++;
        }
        System.out.printf("deletion AUC gradcam %.3f vs random %.3f; insertion AUC gradcam %.3f vs random %.3f%n",
                gradCamDeletion / count, randomDeletion / count, gradCamInsertion / count, randomInsertion / count);
        assertThat(gradCamDeletion / count).isLessThan(randomDeletion / count);
        assertThat(gradCamInsertion / count).isGreaterThan(randomInsertion / count);
    }
}
