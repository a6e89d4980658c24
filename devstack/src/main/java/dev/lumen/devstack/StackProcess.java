package dev.lumen.devstack;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * A devstack launcher running as a child process of this JVM, on random ports and a fresh
 * temporary data dir that is deleted when it stops. JDK classes only (see {@link TestStack}).
 */
final class StackProcess {

    private static final String LAUNCHER_CLASS = "dev.lumen.devstack.DevStackMain";
    /** Small heap and a quick-starting JIT: the stack carries test traffic only. */
    private static final List<String> JVM_OPTIONS = List.of("-Xmx512m", "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1");
    private static final Duration STOP_TIMEOUT = Duration.ofSeconds(20);

    private final Process process;
    private final Path workDir;
    private final TestStack.Endpoints endpoints;

    private StackProcess(Process process, Path workDir, TestStack.Endpoints endpoints) {
        this.process = process;
        this.workDir = workDir;
        this.endpoints = endpoints;
    }

    /** The command that runs the packaged launcher jar. */
    static List<String> jarCommand(Path launcherJar) {
        List<String> command = javaWithOptions();
        command.add("-jar");
        command.add(launcherJar.toString());
        return command;
    }

    /** The command that runs the launcher from a class path (this module's own tests). */
    static List<String> classpathCommand(String classpath) {
        List<String> command = javaWithOptions();
        command.add("-cp");
        command.add(classpath);
        command.add(LAUNCHER_CLASS);
        return command;
    }

    private static List<String> javaWithOptions() {
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.addAll(JVM_OPTIONS);
        return command;
    }

    /**
     * Runs {@code up} with the given launcher command and waits until its env file appears.
     * The launcher is told to exit when its stdin closes, so it dies with this JVM even when this
     * JVM is killed without running shutdown hooks.
     */
    static StackProcess launch(List<String> launcherCommand, Duration timeout) {
        Path workDir = createWorkDir();
        Path envFile = workDir.resolve(EnvFile.DEFAULT_NAME);
        Path log = workDir.resolve("devstack.log");
        List<String> command = new ArrayList<>(launcherCommand);
        command.addAll(List.of("up", "--data-dir", workDir.resolve("data").toString(),
                "--kafka-port", "0", "--s3-port", "0",
                "--env-file", envFile.toString(), "--exit-when-stdin-closes"));
        Process process;
        try {
            process = new ProcessBuilder(command)
                    .redirectErrorStream(true)
                    .redirectOutput(log.toFile())
                    .start();
        } catch (IOException e) {
            deleteRecursively(workDir);
            throw new IllegalStateException("Cannot start the devstack: " + String.join(" ", command), e);
        }
        StackProcess stack = new StackProcess(process, workDir, null);
        try {
            return new StackProcess(process, workDir, awaitEndpoints(process, envFile, log, timeout));
        } catch (RuntimeException e) {
            stack.stop();
            throw e;
        }
    }

    private static TestStack.Endpoints awaitEndpoints(Process process, Path envFile, Path log, Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            if (Files.exists(envFile)) {
                try {
                    return EnvFile.toEndpoints(EnvFile.read(envFile));
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            }
            if (!process.isAlive()) {
                throw new IllegalStateException("The devstack exited with status " + process.exitValue()
                        + " before it was ready; " + LogTail.of(log));
            }
            sleep(Duration.ofMillis(50));
        }
        throw new IllegalStateException("The devstack was not ready within " + timeout.toSeconds() + " s; " + LogTail.of(log));
    }

    TestStack.Endpoints endpoints() {
        return endpoints;
    }

    Process process() {
        return process;
    }

    Path workDir() {
        return workDir;
    }

    Path envFile() {
        return workDir.resolve(EnvFile.DEFAULT_NAME);
    }

    /** Stops the launcher as SIGTERM would (it stops S3Proxy and Kafka), then deletes its data. */
    void stop() {
        process.destroy();
        try {
            if (!process.waitFor(STOP_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS)) {
                process.descendants().forEach(ProcessHandle::destroyForcibly);
                process.destroyForcibly().waitFor(STOP_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        deleteRecursively(workDir);
    }

    private static Path createWorkDir() {
        try {
            return Files.createTempDirectory("lumen-devstack-");
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot create a temporary dir for the devstack", e);
        }
    }

    private static void deleteRecursively(Path dir) {
        if (!Files.exists(dir)) {
            return;
        }
        try (Stream<Path> paths = Files.walk(dir)) {
            paths.sorted(Comparator.reverseOrder()).forEach(path -> path.toFile().delete());
        } catch (IOException | UncheckedIOException e) {
            // Leftovers in the temp dir are harmless; a failed cleanup must not fail the tests.
        }
    }

    private static void sleep(Duration duration) {
        try {
            Thread.sleep(duration.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("Interrupted while waiting for the devstack", e);
        }
    }
}
