package dev.lumen.runs.domain;

import dev.lumen.contracts.DatasetRef;
import dev.lumen.contracts.ModelRef;
import dev.lumen.contracts.RunProgress;
import dev.lumen.contracts.RunRequested;
import dev.lumen.contracts.RunState;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** The view stays exact when events come twice, late or out of order. */
class RunViewsTest {

    private static final Instant T0 = Instant.parse("2026-03-14T09:30:00Z");

    private final RunViews views = new RunViews();

    @Test
    void theLatestSnapshotWinsWhateverTheOrder() {
        views.requested(request("r1"), T0);
        views.progressed(progress("r1", RunState.RUNNING, 3, T0.plusSeconds(20)));
        views.progressed(progress("r1", RunState.RUNNING, 1, T0.plusSeconds(10)));
        views.progressed(progress("r1", RunState.RUNNING, 3, T0.plusSeconds(20)));
        views.requested(request("r1"), T0.plusSeconds(30));

        RunRecord run = views.find("acme", "r1").orElseThrow();
        assertThat(run.progress().explained()).isEqualTo(3);
        assertThat(run.requested()).isEqualTo(T0);
        assertThat(run.state()).isEqualTo(RunState.RUNNING);
    }

    @Test
    void progressBeforeTheRequestIsKept() {
        views.progressed(progress("r2", RunState.RUNNING, 1, T0.plusSeconds(5)));
        views.requested(request("r2"), T0);

        assertThat(views.find("acme", "r2").orElseThrow().progress().explained()).isEqualTo(1);
    }

    @Test
    void aCancellationShowsAtOnceAndAFinishedRunKeepsItsState() {
        views.requested(request("r3"), T0);
        views.cancelled("r3", T0.plusSeconds(1));
        assertThat(views.find("acme", "r3").orElseThrow().state()).isEqualTo(RunState.CANCELLED);
        views.progressed(progress("r3", RunState.RUNNING, 1, T0.plusSeconds(2)));
        assertThat(views.find("acme", "r3").orElseThrow().state()).isEqualTo(RunState.CANCELLED);

        // The run had finished before the cancellation reached results-service: it stays finished.
        views.progressed(progress("r3", RunState.COMPLETED, 4, T0.plusSeconds(3)));
        assertThat(views.find("acme", "r3").orElseThrow().state()).isEqualTo(RunState.COMPLETED);
    }

    @Test
    void aDeletedRunNeverComesBack() {
        views.requested(request("r4"), T0);
        views.deleted("r4");
        views.requested(request("r4"), T0);
        assertThat(views.progressed(progress("r4", RunState.COMPLETED, 4, T0.plusSeconds(9)))).isFalse();
        views.cancelled("r4", T0);

        assertThat(views.find("acme", "r4")).isEmpty();
        assertThat(views.list("acme", run -> true)).isEmpty();
    }

    @Test
    void runsAreOnlyVisibleToTheirTenant() {
        views.requested(request("r5"), T0);
        views.progressed(new RunProgress("r6", null, null, null, null, null, RunState.RUNNING, 4, 1, 0, 0, 0, null,
                Map.of(), Map.of(), null, T0, null));

        assertThat(views.find("other", "r5")).isEmpty();
        assertThat(views.list("acme", run -> true)).extracting(RunRecord::runId).containsExactly("r5");
    }

    private static RunRequested request(String runId) {
        return new RunRequested(runId, "acme", "n", "gradcam", new ModelRef("m"), new DatasetRef("d"), 4, 1L, null, Map.of());
    }

    private static RunProgress progress(String runId, RunState state, int explained, Instant at) {
        return new RunProgress(runId, "acme", "n", "gradcam", "m", "d", state, 4, explained, 0, 0, 1.0, null,
                Map.of(), Map.of(), T0, at, state.terminal() ? at : null);
    }
}
