package dev.lumen.e2e;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Watches how many results of one run are stored in S3 ({@code result.json} objects), listing every
 * 200 ms on its own thread, and remembers when the count grew: the clock of a chaos case's recovery.
 * A listing that fails (S3 is down, which is the point of one case) just counts as no change.
 */
final class StoredResultsWatch implements AutoCloseable {

    private static final Duration EVERY = Duration.ofMillis(200);

    private final PlatformFixture lumen;
    private final String prefix;
    private final Thread thread;
    private final List<Growth> growths = new ArrayList<>();
    private volatile boolean stopped;
    private int last;

    /** When the count grew, and to what. */
    record Growth(Instant at, int stored) {
    }

    private StoredResultsWatch(PlatformFixture lumen, String runId) {
        this.lumen = lumen;
        this.prefix = "runs/" + runId + "/images/";
        this.thread = new Thread(this::watch, "stored-results-" + runId);
        this.thread.setDaemon(true);
    }

    static StoredResultsWatch of(PlatformFixture lumen, String runId) {
        StoredResultsWatch watch = new StoredResultsWatch(lumen, runId);
        watch.thread.start();
        return watch;
    }

    private void watch() {
        while (!stopped) {
            try {
                int count = (int) lumen.keys(prefix).stream().filter(key -> key.endsWith("/result.json")).count();
                synchronized (growths) {
                    if (count > last) {
                        last = count;
                        growths.add(new Growth(Instant.now(), count));
                        growths.notifyAll();
                    }
                }
            } catch (RuntimeException e) {
                // S3 down: nothing stored meanwhile.
            }
            PlatformFixture.sleep(EVERY.toMillis());
        }
    }

    /** Results stored now (as last listed). */
    int stored() {
        synchronized (growths) {
            return last;
        }
    }

    /** Waits until at least {@code count} results are stored. */
    void awaitStored(int count, Duration timeout) {
        Instant deadline = Instant.now().plus(timeout);
        synchronized (growths) {
            while (last < count) {
                long left = Duration.between(Instant.now(), deadline).toMillis();
                if (left <= 0) {
                    throw new AssertionError("only " + last + " of " + count + " results stored within " + timeout);
                }
                try {
                    growths.wait(left);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new IllegalStateException(e);
                }
            }
        }
    }

    /** The first moment after {@code since} at which the stored count grew, waiting up to {@code timeout}. */
    Optional<Instant> firstGrowthAfter(Instant since, Duration timeout) {
        Instant deadline = Instant.now().plus(timeout);
        while (Instant.now().isBefore(deadline)) {
            synchronized (growths) {
                Optional<Instant> first = growths.stream().map(Growth::at).filter(at -> at.isAfter(since)).findFirst();
                if (first.isPresent()) {
                    return first;
                }
            }
            PlatformFixture.sleep(100);
        }
        return Optional.empty();
    }

    @Override
    public void close() {
        stopped = true;
    }
}
