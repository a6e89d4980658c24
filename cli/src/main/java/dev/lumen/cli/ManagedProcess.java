package dev.lumen.cli;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * A child JVM of the platform (devstack or a service) with its output in a log file. Stopping sends
 * SIGTERM first so Quarkus and the broker shut down cleanly, then kills what is left.
 */
public final class ManagedProcess {

    private final String name;
    private final Process process;
    private final Path log;
    private final java.time.Instant startedAt = java.time.Instant.now();

    private ManagedProcess(String name, Process process, Path log) {
        this.name = name;
        this.process = process;
        this.log = log;
    }

    /** Starts {@code command} with extra environment variables, output appended to {@code log}. */
    public static ManagedProcess start(String name, List<String> command, Map<String, String> environment, Path log) {
        try {
            Files.createDirectories(log.getParent());
            ProcessBuilder builder = new ProcessBuilder(command)
                    .redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()));
            builder.environment().putAll(environment);
            return new ManagedProcess(name, builder.start(), log);
        } catch (IOException e) {
            throw new CliException("cannot start " + name + ": " + e.getMessage(), e);
        }
    }

    public String name() {
        return name;
    }

    public long pid() {
        return process.pid();
    }

    public boolean isAlive() {
        return process.isAlive();
    }

    public Path log() {
        return log;
    }

    /** When this process was started. */
    public java.time.Instant startedAt() {
        return startedAt;
    }

    /** The exit status, or empty while it runs. */
    public java.util.Optional<Integer> exitStatus() {
        return process.isAlive() ? java.util.Optional.empty() : java.util.Optional.of(process.exitValue());
    }

    /** Writes one line to the process's stdin (the devstack's fault-injection commands). */
    public void send(String line) {
        try {
            var in = process.getOutputStream();
            in.write((line + "\n").getBytes(java.nio.charset.StandardCharsets.UTF_8));
            in.flush();
        } catch (IOException e) {
            throw new CliException("cannot send '" + line + "' to " + name + ": " + e.getMessage(), e);
        }
    }

    /**
     * Appends a line of the platform's own to the process's log (after it exited, so the two never
     * write at once), for example that it is being restarted.
     */
    public void note(String line) {
        try {
            Files.writeString(log, line + System.lineSeparator(), java.nio.file.StandardOpenOption.CREATE,
                    java.nio.file.StandardOpenOption.APPEND);
        } catch (IOException e) {
            // The note also goes to the console; a log that cannot be written must not stop a restart.
        }
    }

    /** Kills the process at once (no shutdown hooks), as a crash would. */
    public void kill() {
        process.destroyForcibly();
        waitFor(Duration.ofSeconds(10));
    }

    /** Stops the process gracefully, forcibly after {@code grace}. */
    public void stop(Duration grace) {
        if (!process.isAlive()) {
            return;
        }
        process.destroy();
        if (!waitFor(grace)) {
            process.destroyForcibly();
            waitFor(Duration.ofSeconds(10));
        }
    }

    private boolean waitFor(Duration timeout) {
        try {
            return process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    /** The last lines of the log, for error messages. */
    public String logTail(int lines) {
        try {
            List<String> all = Files.readAllLines(log);
            return String.join(System.lineSeparator(), all.subList(Math.max(0, all.size() - lines), all.size()));
        } catch (IOException e) {
            return "(no log: " + e.getMessage() + ")";
        }
    }
}
