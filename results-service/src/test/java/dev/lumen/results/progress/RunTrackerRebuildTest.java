package dev.lumen.results.progress;

import dev.lumen.contracts.EventCodec;
import dev.lumen.contracts.Outcome;
import dev.lumen.contracts.RunProgress;
import dev.lumen.contracts.RunState;
import dev.lumen.results.TestRuns;
import dev.lumen.results.storage.RunRecords;
import dev.lumen.service.storage.ObjectStore;
import dev.lumen.testing.LumenStackResource;
import dev.lumen.testing.TopicProbe;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;

import static dev.lumen.results.TestRuns.cls;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * What a restarted results-service knows: a tracker with empty memory rebuilds a run from the records
 * in S3 with exact counts, recognises the stored images as done (so redeliveries from Kafka are not
 * counted again), and goes on counting new results. The end-to-end tests restart the real process.
 */
@QuarkusTest
@QuarkusTestResource(value = LumenStackResource.class, restrictToAnnotatedClass = false)
class RunTrackerRebuildTest {

    @Inject
    ObjectStore store;

    @Inject
    EventCodec codec;

    @Inject
    RunRecords records;

    @ConfigProperty(name = "kafka.bootstrap.servers")
    String bootstrap;

    @Test
    void aFreshTrackerRebuildsARunningRunFromStorageWithExactCounts() {
        TestRuns run = new TestRuns(codec, new TopicProbe(bootstrap), store, 4).requested();
        // Requests and results travel on different topics: let the request arrive first, as it usually does.
        run.awaitProgress(p -> p.requestedAt() != null, Duration.ofSeconds(30));
        run.publish(run.explained("a", cls("red", 0.9)));
        run.publish(run.notExplained("b", Outcome.FAILED, "corrupt-image"));
        RunProgress live = run.awaitProgress(p -> p.done() == 2, Duration.ofSeconds(30));

        RunTracker restarted = new RunTracker(records, store); // as after a restart: nothing in memory
        RunProgress rebuilt = restarted.progress(run.runId).orElseThrow();
        assertThat(rebuilt.state()).isEqualTo(RunState.RUNNING);
        assertThat(List.of(rebuilt.total(), rebuilt.explained(), rebuilt.skipped(), rebuilt.failed()))
                .containsExactly(4, 1, 0, 1);
        assertThat(rebuilt.failureReasons()).containsEntry("corrupt-image", 1);
        assertThat(rebuilt.requestedAt()).isEqualTo(live.requestedAt());
        assertThat(rebuilt.name()).isEqualTo("test run");
        assertThat(restarted.hasOutcome(run.runId, "a")).isTrue();
        assertThat(restarted.hasOutcome(run.runId, "b")).isTrue();
        assertThat(restarted.hasOutcome(run.runId, "c")).isFalse();

        // Kafka redelivers what was not committed before the "crash", then the rest arrives.
        run.publish(run.explained("a", cls("red", 0.9)));
        run.publish(run.explained("c", cls("red", 0.8)));
        run.publish(run.explained("d", cls("red", 0.7)));
        RunProgress done = run.awaitProgress(p -> p.state().terminal(), Duration.ofSeconds(30));
        assertThat(List.of(done.explained(), done.skipped(), done.failed())).containsExactly(3, 0, 1);
        assertThat(done.completedAt()).isNotNull();
        // A rebuild later must not move the end of the run to the rebuild's clock.
        sleep(1500);
        RunProgress again = new RunTracker(records, store).progress(run.runId).orElseThrow();
        assertThat(again.state()).isEqualTo(RunState.COMPLETED_WITH_SKIPS);
        assertThat(List.of(again.explained(), again.skipped(), again.failed())).containsExactly(3, 0, 1);
        assertThat(again.completedAt()).as("completedAt from the stored event times").isEqualTo(done.completedAt());
        assertThat(again.requestedAt()).isEqualTo(done.requestedAt());
    }

    @Test
    void aRebuiltRunKeepsTheEventTimesWhateverOrderItsRecordsAreListedIn() {
        TestRuns run = new TestRuns(codec, new TopicProbe(bootstrap), store, 2).requested();
        run.awaitProgress(p -> p.requestedAt() != null, Duration.ofSeconds(30));
        // "z" finishes first, "a" (listed first in storage) last: completedAt is a's time, the latest.
        run.publish(run.explained("z", cls("red", 0.9)));
        run.awaitProgress(p -> p.done() == 1, Duration.ofSeconds(30));
        sleep(300);
        run.publish(run.explained("a", cls("red", 0.8)));
        RunProgress done = run.awaitProgress(p -> p.state().terminal(), Duration.ofSeconds(30));
        sleep(1200);

        RunProgress rebuilt = new RunTracker(records, store).progress(run.runId).orElseThrow();
        assertThat(rebuilt.state()).isEqualTo(RunState.COMPLETED);
        assertThat(rebuilt.completedAt()).isEqualTo(done.completedAt());
        assertThat(rebuilt.completedAt()).isBefore(rebuilt.updatedAt().minusSeconds(1));
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
