package dev.lumen.explainer;

import static org.assertj.core.api.Assertions.assertThat;

import dev.lumen.explainer.method.OnlineSaliency;
import dev.lumen.fixtures.DetectorFixture;
import java.io.IOException;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Progressive D-RISE on the detector fixture: previews sharpen toward the final map. */
class PreviewListenerTest {

    @Test
    void previewsRiseInMasksAndEndCloseToTheFinalMap() throws IOException {
        Explainer explainer = new Explainer(DetectorModel.model());
        DetectorFixture.LabelledImage image = DetectorModel.heldOut().get(0);
        Map<Integer, List<PreviewListener.Preview>> byTarget = new HashMap<>();
        ExplainOptions options = new ExplainOptions("drise", 7L, Map.of("masks", 1000, "grid", 8, "metrics", false))
                .withPreviews(p -> byTarget.computeIfAbsent(p.target(), t -> new ArrayList<>()).add(p));

        ExplainResult result = explainer.explain(Images.decode(Files.readAllBytes(image.file())), options);

        assertThat(result.explanations()).isNotEmpty();
        assertThat(byTarget.keySet()).hasSize(result.explanations().size());
        for (int t = 0; t < result.explanations().size(); t++) {
            TargetExplanation finalMap = result.explanations().get(t);
            List<PreviewListener.Preview> previews = byTarget.get(t);
            assertThat(previews).hasSizeGreaterThanOrEqualTo(2);
            for (int i = 1; i < previews.size(); i++) {
                assertThat(previews.get(i).masks()).isGreaterThan(previews.get(i - 1).masks());
            }
            PreviewListener.Preview last = previews.get(previews.size() - 1);
            assertThat(last.prediction()).isEqualTo(finalMap.target());
            assertThat(last.budget()).isEqualTo(1000);
            assertThat(last.saliency().width()).isEqualTo(finalMap.saliency().width());
            assertThat(last.saliency().height()).isEqualTo(finalMap.saliency().height());
            assertThat(last.saliency().max()).isLessThanOrEqualTo(1f);
            assertThat(last.saliency().min()).isGreaterThanOrEqualTo(0f);
            double lastToFinal = OnlineSaliency.pearson(last.saliency().values(), finalMap.saliency().values());
            double firstToFinal = OnlineSaliency.pearson(previews.get(0).saliency().values(),
                    finalMap.saliency().values());
            System.out.printf("target %d: %d previews, masks %d..%d, Pearson with final %.3f..%.3f%n", t,
                    previews.size(), previews.get(0).masks(), last.masks(), firstToFinal, lastToFinal);
            assertThat(lastToFinal).isGreaterThan(0.9);
            assertThat(lastToFinal).isGreaterThanOrEqualTo(firstToFinal);
        }
    }

    @Test
    void aThrowingListenerCostsOnlyThePreviews() throws IOException {
        Explainer explainer = new Explainer(DetectorModel.model());
        DetectorFixture.LabelledImage image = DetectorModel.heldOut().get(0);
        int[] calls = {0};
        ExplainOptions options = new ExplainOptions("drise", 7L, Map.of("masks", 600, "grid", 8, "metrics", false))
                .withPreviews(p -> {
                    calls[0]++;
                    throw new IllegalStateException("broker down");
                });

        ExplainResult result = explainer.explain(Images.decode(Files.readAllBytes(image.file())), options);

        assertThat(result.explanations()).isNotEmpty();
        assertThat(calls[0]).isEqualTo(1);
        assertThat(result.notes()).anyMatch(n -> n.startsWith("previews stopped") && n.contains("broker down"));
    }
}
