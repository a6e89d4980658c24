package dev.lumen.cli;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Consumer;

/**
 * Keeps a {@link Platform}'s processes running: one that exits is started again after a backoff that
 * doubles with each restart in a row (1 s, 2 s, 4 s ... up to 30 s) and starts over once a process has
 * stayed up for a minute. Each exit and restart is written to the console and to the process's own
 * log, so the log of a service says why it went away and when it came back.
 */
final class Supervisor {

    static final Duration POLL = Duration.ofMillis(500);
    static final Duration INITIAL_BACKOFF = Duration.ofSeconds(1);
    static final Duration MAX_BACKOFF = Duration.ofSeconds(30);
    /** A process that ran this long before it exited starts over at the initial backoff. */
    static final Duration STABLE = Duration.ofSeconds(60);

    private final Platform platform;
    private final Consumer<String> console;
    private final Map<String, Integer> restartsInARow = new HashMap<>();
    private final Thread thread;
    private volatile boolean stopped;

    Supervisor(Platform platform, Consumer<String> console) {
        this.platform = platform;
        this.console = console;
        this.thread = new Thread(this::watch, "lumen-supervisor");
        this.thread.setDaemon(true);
    }

    void start() {
        thread.start();
    }

    /** Stops supervising (a restart under way is abandoned at its next step) and waits for the thread. */
    void stop() {
        stopped = true;
        thread.interrupt();
        try {
            thread.join(Duration.ofSeconds(10).toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** The pause before restart number {@code restart} in a row (1-based). */
    static Duration backoff(int restart) {
        long millis = INITIAL_BACKOFF.toMillis() << Math.min(restart - 1, 16);
        return Duration.ofMillis(Math.min(MAX_BACKOFF.toMillis(), millis));
    }

    private void watch() {
        while (!stopping()) {
            List<String> names = new ArrayList<>();
            names.add(Platform.DEVSTACK);
            names.addAll(platform.instances());
            for (String name : names) {
                ManagedProcess process = platform.process(name);
                if (process != null && !process.isAlive() && !stopping()) {
                    restart(name, process);
                }
            }
            if (!pause(POLL)) {
                return;
            }
        }
    }

    private void restart(String name, ManagedProcess exited) {
        Duration ran = Duration.between(exited.startedAt(), Instant.now());
        int restart = ran.compareTo(STABLE) >= 0 ? 1 : restartsInARow.getOrDefault(name, 0) + 1;
        restartsInARow.put(name, restart);
        Duration backoff = backoff(restart);
        String exit = String.format(Locale.ROOT, "lumen: %s exited with status %s after %d s; restarting in %d s"
                        + " (restart %d in a row)", name, exited.exitStatus().map(String::valueOf).orElse("?"),
                ran.toSeconds(), backoff.toSeconds(), restart);
        exited.note(exit);
        console.accept(exit);
        if (!pause(backoff)) {
            return;
        }
        try {
            platform.respawn(name);
            ManagedProcess started = platform.process(name);
            if (started != null && started != exited) {
                String ready = "lumen: " + name + " restarted (pid " + started.pid() + ")";
                started.note(ready);
                console.accept(ready);
            }
        } catch (CliException e) {
            if (!stopping()) {
                String failed = "lumen: restarting " + name + " failed: " + e.getMessage().lines().findFirst().orElse("");
                console.accept(failed);
                // The next round sees it exited again and backs off further.
            }
        }
    }

    private boolean stopping() {
        return stopped || platform.closed();
    }

    /** Sleeps; false when supervision is stopping. */
    private boolean pause(Duration duration) {
        try {
            Thread.sleep(duration.toMillis());
            return !stopping();
        } catch (InterruptedException e) {
            return false;
        }
    }
}
