package dev.lumen.results.progress;

import dev.lumen.contracts.DatasetRef;
import dev.lumen.contracts.ModelRef;
import dev.lumen.contracts.Outcome;
import dev.lumen.contracts.RunProgress;
import dev.lumen.contracts.RunRequested;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The run ETA: remaining images × recent per-image time ÷ busy workers, less the image in progress.
 * Times are given, not measured: each case is a sequence of completions at chosen instants.
 */
class EtaEstimatorTest {

    private static final Instant T0 = Instant.parse("2026-12-04T10:00:00Z");

    private static Instant at(double seconds) {
        return T0.plusMillis(Math.round(seconds * 1000));
    }

    @Test
    void doesNotRiseWhileNoImageCompletes() {
        // One worker at 3 s per image, 20 images: 3 done, then the fourth takes far longer than usual.
        EtaEstimator eta = new EtaEstimator();
        eta.completed("w1", at(3), 3000L);
        eta.completed("w1", at(6), 2900L);
        eta.completed("w1", at(9), 3100L);
        int remaining = 17;
        List<Long> seen = new ArrayList<>();
        for (double now = 9; now <= 60; now += 0.5) {
            seen.add(eta.etaSeconds(remaining, at(now)));
        }
        assertThat(seen.get(0)).isEqualTo(17 * 3);
        for (int i = 1; i < seen.size(); i++) {
            assertThat(seen.get(i)).as("ETA at step %d of %s", i, seen).isLessThanOrEqualTo(seen.get(i - 1));
        }
        // It counts the image in progress down, then holds at the images after it: never 0 with work left.
        assertThat(eta.etaSeconds(remaining, at(10.5))).isEqualTo(50); // 51 - 1.5, rounded up
        assertThat(seen.get(seen.size() - 1)).isEqualTo(16 * 3);
    }

    @Test
    void reachesZeroAtTheEnd() {
        EtaEstimator eta = new EtaEstimator();
        int total = 5;
        List<Long> atEachCompletion = new ArrayList<>();
        for (int done = 1; done <= total; done++) {
            eta.completed("w1", at(2.0 * done), 2000L);
            atEachCompletion.add(eta.etaSeconds(total - done, at(2.0 * done)));
        }
        assertThat(atEachCompletion).containsExactly(8L, 6L, 4L, 2L, 0L);
        assertThat(eta.etaSeconds(0, at(100))).isZero();
    }

    @Test
    void halvesWithTwoWorkers() {
        // The same 4 s per image on each worker; the second estimator's run has two workers.
        EtaEstimator one = new EtaEstimator();
        EtaEstimator two = new EtaEstimator();
        for (int i = 1; i <= 6; i++) {
            one.completed("w1", at(4.0 * i), 4000L);
            two.completed("w1", at(4.0 * i), 4000L);
            two.completed("w2", at(4.0 * i + 0.001), 4000L);
        }
        Instant now = at(24.001);
        assertThat(one.etaSeconds(40, now)).isEqualTo(160);
        assertThat(two.etaSeconds(40, now)).isEqualTo(80);
        assertThat(two.imagesPerSecond(40)).isEqualTo(2 * one.imagesPerSecond(40));
        // Busy workers never exceed the images left: the last image is one worker's job.
        assertThat(two.etaSeconds(1, now)).isEqualTo(one.etaSeconds(1, now));
    }

    @Test
    void perImageTimeFollowsTheRecentImagesNotTheWholeRun() {
        EtaEstimator eta = new EtaEstimator();
        double now = 0;
        for (int i = 0; i < 10; i++) {
            now += 10;
            eta.completed("w1", at(now), 10_000L);
        }
        for (int i = 0; i < EtaEstimator.WINDOW; i++) {
            now += 1;
            eta.completed("w1", at(now), 1_000L);
        }
        assertThat(eta.secondsPerImage()).isEqualTo(1.0);
        assertThat(eta.etaSeconds(30, at(now))).isEqualTo(30);
    }

    @Test
    void unknownUntilAWorkerReportsATime() {
        EtaEstimator eta = new EtaEstimator();
        assertThat(eta.etaSeconds(10, T0)).isNull();
        eta.completed("w1", at(1), null); // no timing, no predecessor: no sample yet
        assertThat(eta.etaSeconds(9, at(1))).isNull();
        eta.completed("w1", at(3), null);
        assertThat(eta.etaSeconds(8, at(3))).isEqualTo(16);
    }

    @Test
    void aRunSnapshotKeepsItsEtaFromRisingWhileASlowImageIsInProgress() {
        // What the issue measured: the average since the start of the run made the ETA count up.
        RunLedger ledger = new RunLedger("run-1");
        ledger.request(new RunRequested("run-1", "acme", "slow", "drise", new ModelRef("m"),
                new DatasetRef("d"), 50, 1L, false, Map.of()), T0);
        for (int i = 1; i <= 4; i++) {
            ledger.record("acme", "img-" + i, Outcome.EXPLAINED, null, 50, at(6.0 * i), "w1", 6000L);
        }
        List<Long> etas = new ArrayList<>();
        for (double now = 24; now <= 34; now += 1) {
            RunProgress p = ledger.publishing(at(now));
            etas.add(p.etaSeconds());
            assertThat(p.imagesPerSecond()).isEqualTo(0.167);
        }
        assertThat(etas.get(0)).isEqualTo(46 * 6);
        for (int i = 1; i < etas.size(); i++) {
            assertThat(etas.get(i)).as("%s", etas).isLessThanOrEqualTo(etas.get(i - 1));
        }
        assertThat(ledger.etaMoved(at(35))).isFalse(); // held at 45 images × 6 s: nothing to republish
        assertThat(etas.get(etas.size() - 1)).isEqualTo(45 * 6);
    }
}
