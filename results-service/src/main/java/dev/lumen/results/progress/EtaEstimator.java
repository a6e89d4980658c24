package dev.lumen.results.progress;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;

/**
 * The time a run still needs, from what its workers did lately: remaining images × the recent time one
 * worker takes per image ÷ the workers busy on the run, less the time the images in progress have
 * already had. The average since the run began (what this replaces) counts up while a slow image is
 * being explained, because the elapsed time grows and the count does not; here nothing that changes
 * without a completion can make the estimate rise.
 *
 * <ul>
 *   <li><b>Per-image time</b>: the mean of the last {@value #WINDOW} samples. A sample is the time
 *   between two consecutive completions of one worker (so it includes reading the image and storing
 *   the result, and the share of a worker that serves several runs at once); a worker's first image
 *   has no predecessor, so its sample is the explanation time the worker measured.</li>
 *   <li><b>Busy workers</b>: the distinct workers among the last {@value #WINDOW} completions, at most
 *   the remaining images. It changes only when an image completes, never while waiting.</li>
 *   <li><b>The images in progress</b>: they have been worked on since the last completion, so the time
 *   since then is taken off, at most one image's share ({@code perImage / busy}): the estimate falls
 *   while nothing completes and then holds, rather than reaching 0 with images still to do.</li>
 * </ul>
 *
 * Not thread-safe: {@link RunLedger} (guarded by {@link RunTracker}) owns it.
 */
final class EtaEstimator {

    /** Completions the per-image time and the busy workers are taken from. */
    static final int WINDOW = 8;

    private final Map<String, Instant> lastCompletionOf = new HashMap<>();
    private final Deque<Double> secondsPerImage = new ArrayDeque<>();
    private final Deque<String> recentWorkers = new ArrayDeque<>();
    private Instant lastCompletion;

    /**
     * Notes that {@code worker} finished an image at {@code at}.
     *
     * @param worker the worker's id (null when unknown: counted as one anonymous worker)
     * @param at when the result was produced
     * @param explainMillis the explanation time the worker measured, null when it has none
     */
    void completed(String worker, Instant at, Long explainMillis) {
        String who = worker == null ? "" : worker;
        Instant previous = lastCompletionOf.get(who);
        Double sample = null;
        if (previous != null && at.isAfter(previous)) {
            sample = Duration.between(previous, at).toMillis() / 1000.0;
        } else if (explainMillis != null && explainMillis > 0) {
            sample = explainMillis / 1000.0;
        }
        if (sample != null) {
            push(secondsPerImage, sample);
        }
        if (previous == null || at.isAfter(previous)) {
            lastCompletionOf.put(who, at);
        }
        push(recentWorkers, who);
        if (lastCompletion == null || at.isAfter(lastCompletion)) {
            lastCompletion = at;
        }
    }

    /** The recent time one worker takes per image, in seconds; null before any sample. */
    Double secondsPerImage() {
        if (secondsPerImage.isEmpty()) {
            return null;
        }
        return secondsPerImage.stream().mapToDouble(Double::doubleValue).average().orElseThrow();
    }

    /** The workers busy on the run: distinct among the recent completions, at least one. */
    int busyWorkers(int remaining) {
        Set<String> distinct = new HashSet<>(recentWorkers);
        return Math.max(1, Math.min(distinct.size(), Math.max(1, remaining)));
    }

    /** Images per second the busy workers manage together; 0 before any sample. */
    double imagesPerSecond(int remaining) {
        Double perImage = secondsPerImage();
        return perImage == null || perImage <= 0 ? 0 : busyWorkers(remaining) / perImage;
    }

    /**
     * Seconds until the {@code remaining} images are done, as seen at {@code now}; 0 when none remain,
     * null while no image has given a per-image time.
     */
    Long etaSeconds(int remaining, Instant now) {
        if (remaining <= 0) {
            return 0L;
        }
        Double perImage = secondsPerImage();
        if (perImage == null) {
            return null;
        }
        double share = perImage / busyWorkers(remaining);
        double inProgress = lastCompletion == null ? 0
                : Math.max(0, Duration.between(lastCompletion, now).toMillis() / 1000.0);
        double seconds = remaining * share - Math.min(inProgress, share);
        return (long) Math.ceil(Math.max(0, seconds));
    }

    private static <T> void push(Deque<T> window, T value) {
        window.addLast(value);
        if (window.size() > WINDOW) {
            window.removeFirst();
        }
    }
}
