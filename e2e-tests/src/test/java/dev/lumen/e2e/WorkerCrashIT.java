package dev.lumen.e2e;

import com.fasterxml.jackson.databind.JsonNode;
import dev.lumen.contracts.RunProgress;
import dev.lumen.contracts.RunState;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Crash safety of the packaged platform: a worker killed with {@code kill -9} in the middle of a run,
 * and results-service restarted in the middle of a run. Either way the run completes with every
 * sampled image present exactly once: exact counts on {@code lumen.run-progress} (read by a plain
 * Kafka consumer, every record validated against its schema), one {@code result.json} per image in S3.
 */
class WorkerCrashIT {

    /** Enough images that a run lasts well beyond the moment of the crash. */
    private static final int IMAGES = 120;

    private static PlatformFixture lumen;

    @BeforeAll
    static void startPlatform() {
        lumen = PlatformFixture.start("crash", 6);
    }

    @AfterAll
    static void stopPlatform() {
        if (lumen != null) {
            lumen.close();
        }
    }

    @Test
    void runSurvivesAWorkerKilledMidRunWithEveryImageExactlyOnce() {
        String runId = lumen.createRun("worker-crash", PlatformFixture.MANY, IMAGES);
        // Gate on the worker's own output: results-service may lag behind it.
        lumen.awaitResultEvents(runId, 3, Duration.ofMinutes(3));

        long pid = lumen.platform().service("worker-service").pid();
        lumen.platform().service("worker-service").kill(); // SIGKILL: no shutdown hook, no offset commit
        assertThat(ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false)).isFalse();
        long resultsAtKill = lumen.resultEvents(runId);
        System.out.printf("run %s: worker killed after %d of %d results%n", runId, resultsAtKill, IMAGES);
        assertThat(resultsAtKill).as("the worker must die in the middle of the run").isLessThan(IMAGES);
        lumen.platform().restart("worker-service");

        assertCompletedExactlyOnce(runId);
    }

    @Test
    void runSurvivesAResultsServiceRestartMidRunWithExactCounts() {
        String runId = lumen.createRun("results-restart", PlatformFixture.MANY, IMAGES);
        JsonNode before = lumen.awaitProgress(runId, p -> PlatformFixture.done(p) >= 3, Duration.ofMinutes(3));
        assertThat(PlatformFixture.done(before)).as("the run must still be running at the restart").isLessThan(IMAGES);

        lumen.platform().restart("results-service");

        assertCompletedExactlyOnce(runId);
    }

    private static void assertCompletedExactlyOnce(String runId) {
        JsonNode progress = lumen.awaitProgress(runId, PlatformFixture::terminal, Duration.ofMinutes(6));
        assertThat(progress.path("state").asText()).isEqualTo("COMPLETED");
        assertThat(progress.path("total").asInt()).isEqualTo(IMAGES);
        assertThat(progress.path("explained").asInt()).isEqualTo(IMAGES);
        assertThat(progress.path("skipped").asInt()).isZero();
        assertThat(progress.path("failed").asInt()).isZero();

        JsonNode run = lumen.client().get(runId);
        List<String> apiImages = new ArrayList<>();
        run.path("images").forEach(image -> apiImages.add(image.path("imageId").asText()));
        assertThat(apiImages).hasSize(IMAGES).doesNotHaveDuplicates();

        String prefix = "runs/" + runId + "/images/";
        List<String> records = lumen.keys(prefix).stream().filter(key -> key.endsWith("/result.json")).toList();
        assertThat(records).hasSize(IMAGES);
        Set<String> storedImages = new HashSet<>();
        records.forEach(key -> storedImages.add(key.substring(prefix.length(), key.length() - "/result.json".length())));
        assertThat(storedImages).containsExactlyInAnyOrderElementsOf(apiImages);

        List<RunProgress> published = lumen.awaitFinalProgressRecords(runId, Duration.ofSeconds(60));
        RunProgress last = published.get(published.size() - 1);
        assertThat(last.state()).isEqualTo(RunState.COMPLETED);
        assertThat(List.of(last.total(), last.explained(), last.skipped(), last.failed()))
                .containsExactly(IMAGES, IMAGES, 0, 0);
        assertThat(last.completedAt()).isNotNull();
        // Never counted twice, not even for a moment: no record ever claims more than the sample.
        assertThat(published).allSatisfy(p -> assertThat(p.done()).isLessThanOrEqualTo(IMAGES));

        // Not asserted (a crash may fall right after a commit), but worth seeing in the test output.
        long results = lumen.resultEvents(runId);
        System.out.printf("run %s: %d result events for %d images (%d redelivered or explained again)%n", runId, results,
                IMAGES, results - IMAGES);
    }
}
