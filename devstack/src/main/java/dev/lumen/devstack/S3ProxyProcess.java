package dev.lumen.devstack;

import java.io.IOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * S3Proxy serving a folder of the data dir over the S3 API, in its own JVM: its Guice, Netty and
 * logback must not meet those of the JVM that starts it (see the Docker-free notes).
 */
final class S3ProxyProcess implements AutoCloseable {

    /** Logback configuration at WARN: without one S3Proxy logs every request at DEBUG. */
    static final String LOGBACK_CONFIG = "dev/lumen/devstack/logback-devstack.xml";
    private static final List<String> JVM_OPTIONS = List.of("-Xmx256m", "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1");
    private static final Duration STOP_TIMEOUT = Duration.ofSeconds(10);

    private final Process process;
    private final int port;

    private S3ProxyProcess(Process process, int port) {
        this.process = process;
        this.port = port;
    }

    /**
     * Starts S3Proxy with the devstack credentials on {@code port}, storing objects under
     * {@code dataDir/s3}, and returns once it answers HTTP requests.
     *
     * @param bucket created unless it exists
     */
    static S3ProxyProcess start(Path dataDir, int port, String bucket, Duration timeout) throws IOException {
        Path storage = Files.createDirectories(dataDir.resolve("s3"));
        // The filesystem provider keeps each bucket as a folder of its base dir: creating the folder
        // creates the bucket, idempotently, and spares the launcher an S3 client and a signed request.
        Files.createDirectories(storage.resolve(bucket));
        Path properties = dataDir.resolve("s3proxy.properties");
        writeProperties(properties, storage, port);
        Path log = dataDir.resolve("s3proxy.log");
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.addAll(JVM_OPTIONS);
        command.add("-Dlogback.configurationFile=" + LOGBACK_CONFIG);
        command.addAll(List.of("-cp", ChildClasspath.ofThisJvm(), S3ProxyChild.class.getName(),
                "--properties", properties.toAbsolutePath().toString()));
        Process process = new ProcessBuilder(command)
                .redirectErrorStream(true)
                .redirectOutput(log.toFile())
                .start();
        S3ProxyProcess proxy = new S3ProxyProcess(process, port);
        try {
            proxy.awaitAnswering(timeout, log);
            return proxy;
        } catch (RuntimeException e) {
            proxy.close();
            throw e;
        }
    }

    private static void writeProperties(Path file, Path storage, int port) throws IOException {
        Properties properties = new Properties();
        properties.setProperty("s3proxy.endpoint", "http://" + Ports.LOOPBACK + ":" + port);
        properties.setProperty("s3proxy.authorization", "aws-v2-or-v4");
        properties.setProperty("s3proxy.identity", DevCredentials.ACCESS_KEY);
        properties.setProperty("s3proxy.credential", DevCredentials.SECRET_KEY);
        // filesystem-nio2 rather than the older filesystem provider, which lists fake empty folders.
        properties.setProperty("jclouds.provider", "filesystem-nio2");
        properties.setProperty("jclouds.filesystem.basedir", storage.toAbsolutePath().toString());
        properties.setProperty("jclouds.identity", DevCredentials.ACCESS_KEY);
        properties.setProperty("jclouds.credential", DevCredentials.SECRET_KEY);
        try (Writer writer = Files.newBufferedWriter(file, StandardCharsets.UTF_8)) {
            properties.store(writer, "Written by the Lumen devstack at each start");
        }
    }

    private void awaitAnswering(Duration timeout, Path log) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!Ports.answersHttp(port)) {
            if (!process.isAlive()) {
                throw new DevStackException("S3Proxy exited with status " + process.exitValue()
                        + " before it answered on port " + port + "; " + LogTail.of(log));
            }
            if (System.nanoTime() > deadline) {
                throw new DevStackException("S3Proxy did not answer on port " + port + " within "
                        + timeout.toSeconds() + " s; " + LogTail.of(log));
            }
            try {
                Thread.sleep(50);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new DevStackException("Interrupted while starting S3Proxy", e);
            }
        }
    }

    /** The S3 endpoint URL. */
    String endpoint() {
        return "http://" + Ports.LOOPBACK + ":" + port;
    }

    /** Completes when the S3Proxy process ends, for whatever reason. */
    CompletableFuture<Process> onExit() {
        return process.onExit();
    }

    /** The S3Proxy process, for tests that check it goes away. */
    ProcessHandle handle() {
        return process.toHandle();
    }

    /** Closes S3Proxy's stdin as the death of this JVM would, for tests of the orphan guard. */
    void closeStdin() throws IOException {
        process.getOutputStream().close();
    }

    /** Stops S3Proxy (SIGTERM, then SIGKILL after 10 s) and waits until it has exited. */
    @Override
    public void close() {
        process.destroy();
        try {
            if (!process.waitFor(STOP_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS)) {
                process.destroyForcibly().waitFor();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
