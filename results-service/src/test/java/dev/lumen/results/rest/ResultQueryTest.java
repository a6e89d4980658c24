package dev.lumen.results.rest;

import dev.lumen.contracts.ImageResult;
import dev.lumen.contracts.Metrics;
import dev.lumen.contracts.ModelRef;
import dev.lumen.contracts.Outcome;
import dev.lumen.contracts.Target;
import dev.lumen.results.storage.StoredResult;
import dev.lumen.results.storage.StoredResult.StoredExplanation;
import dev.lumen.service.rest.ProblemException;
import org.junit.jupiter.api.Test;

import java.util.Arrays;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Filtering, sorting and paging of stored results, without a server. */
class ResultQueryTest {

    private static final List<StoredResult> RESULTS = List.of(
            explained("b", map("cat", 0.9, 0.3, 0.7), map("dog", 0.4, 0.1, 0.9)),
            explained("a", map("dog", 0.8, 0.2, 0.5)),
            explained("c", map("cat", 0.5, null, null)),
            other("d", Outcome.SKIPPED),
            other("e", Outcome.FAILED));

    @Test
    void defaultsToEveryResultByImageId() {
        ResultQuery query = parse(null, null, null, null, null, null);
        assertThat(ids(query.select(RESULTS))).containsExactly("a", "b", "c", "d", "e");
        assertThat(query.size()).isEqualTo(24);
        assertThat(query.pages(0)).isEqualTo(1);
    }

    @Test
    void primaryTargetFollowsTheLabelFilter() {
        ResultQuery dogs = parse(null, null, "dog", null, "score", null);
        assertThat(ids(dogs.select(RESULTS))).containsExactly("a", "b");
        assertThat(dogs.primary(RESULTS.get(0)).target().label()).isEqualTo("dog");
        ResultQuery all = parse(null, null, null, null, "score", null);
        assertThat(all.primary(RESULTS.get(0)).target().label()).isEqualTo("cat");
        assertThat(ids(all.select(RESULTS))).containsExactly("b", "a", "c", "d", "e");
    }

    @Test
    void missingValuesSortLastInBothOrders() {
        assertThat(ids(parse(null, null, null, null, "deletion", null).select(RESULTS))).containsExactly("a", "b", "c", "d", "e");
        assertThat(ids(parse(null, null, null, null, "deletion", "desc").select(RESULTS))).containsExactly("b", "a", "c", "d", "e");
        assertThat(ids(parse(null, null, null, null, "faithfulness", null).select(RESULTS))).containsExactly("b", "a", "c", "d", "e");
    }

    @Test
    void filtersByOutcomeAndPages() {
        assertThat(ids(parse(null, null, null, "Failed", null, null).select(RESULTS))).containsExactly("e");
        ResultQuery second = parse(1, 2, null, null, null, null);
        assertThat(ids(second.page(second.select(RESULTS)))).containsExactly("c", "d");
        assertThat(second.pages(5)).isEqualTo(3);
        assertThat(ids(parse(7, 2, null, null, null, null).page(RESULTS))).isEmpty();
    }

    @Test
    void rejectsBadParametersNamingThem() {
        assertThatThrownBy(() -> parse(null, 500, null, null, null, null)).isInstanceOf(ProblemException.class)
                .hasMessageContaining("size");
        assertThatThrownBy(() -> parse(null, null, null, null, "random", null)).hasMessageContaining("sort");
        assertThatThrownBy(() -> parse(null, null, null, null, null, "sideways")).hasMessageContaining("order");
        assertThatThrownBy(() -> parse(null, null, null, "lost", null, null)).hasMessageContaining("outcome");
        assertThatThrownBy(() -> parse(-1, null, null, null, null, null)).hasMessageContaining("page");
        assertThatThrownBy(() -> parse(null, null, "l".repeat(513), null, null, null)).hasMessageContaining("label");
        assertThatThrownBy(() -> ResultQuery.parse(null, null, null, null, "false-positive", null, null, 24, 200))
                .hasMessageContaining("error").hasMessageContaining("class-confusion");
        assertThat(ResultQuery.parse(null, null, null, null, " Missed ", null, null, 24, 200).error()).isEqualTo("missed");
    }

    private static ResultQuery parse(Integer page, Integer size, String label, String outcome, String sort, String order) {
        return ResultQuery.parse(page, size, label, outcome, null, sort, order, 24, 200);
    }

    private static List<String> ids(List<StoredResult> results) {
        return results.stream().map(r -> r.result().imageId()).toList();
    }

    private static StoredExplanation map(String label, double score, Double deletion, Double insertion) {
        return new StoredExplanation(new Target("class", label, 0, score, null),
                deletion == null ? null : new Metrics(deletion, insertion), "s.png", "h.png", "o.png");
    }

    private static StoredResult explained(String id, StoredExplanation... maps) {
        return StoredResult.of(result(id).outcome(Outcome.EXPLAINED)
                .predictions(Arrays.stream(maps).map(StoredExplanation::target).toList()).build(), List.of(maps));
    }

    private static StoredResult other(String id, Outcome outcome) {
        return StoredResult.of(result(id).outcome(outcome).reason("why").predictions(List.of()).build(), null);
    }

    private static ImageResult.Builder result(String id) {
        return ImageResult.builder().runId("run").tenant("t").imageId(id).imageKey("datasets/d/images/" + id)
                .imageTotal(5).size(10, 10).method("gradcam").model(new ModelRef("m")).worker("w");
    }
}
