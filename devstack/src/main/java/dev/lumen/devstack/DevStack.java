package dev.lumen.devstack;

import dev.lumen.contracts.Topics;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * A running devstack: Kafka in this JVM, S3Proxy in a child process, Lumen's topics and bucket
 * created, and the env file written. Closing it removes the env file first (the stack is no longer
 * ready), then stops S3Proxy, then the broker.
 *
 * <p>For fault-injection tests either server can be stopped and started again on the same port and
 * data ({@link #stop(Server)}, {@link #start(Server)}): what a client sees of a real outage.
 */
final class DevStack implements AutoCloseable {

    private static final Duration S3_START_TIMEOUT = Duration.ofSeconds(30);

    private final Options options;
    private final int kafkaPort;
    private final int controllerPort;
    private final int s3Port;
    private volatile KafkaBroker broker;
    private volatile S3ProxyProcess s3proxy;
    private final Path envFile;
    private final TestStack.Endpoints endpoints;
    private final AtomicBoolean closing = new AtomicBoolean();
    /** Set while a server is stopped on purpose, so that its exit is not taken for a crash. */
    private volatile boolean faultInjected;

    private DevStack(Options options, int kafkaPort, int controllerPort, int s3Port, KafkaBroker broker,
                     S3ProxyProcess s3proxy, TestStack.Endpoints endpoints) {
        this.options = options;
        this.kafkaPort = kafkaPort;
        this.controllerPort = controllerPort;
        this.s3Port = s3Port;
        this.broker = broker;
        this.s3proxy = s3proxy;
        this.envFile = options.envFile();
        this.endpoints = endpoints;
    }

    /** The servers a fault-injection test can stop and start. */
    enum Server {
        KAFKA, S3
    }

    /**
     * What to start.
     *
     * @param dataDir   Kafka's log under {@code kafka/}, S3 objects under {@code s3/}
     * @param kafkaPort client port of the broker, 0 for a random free one
     * @param s3Port    port of the S3 server, 0 for a random free one
     * @param envFile   where to publish the endpoints once ready
     */
    record Options(Path dataDir, int kafkaPort, int s3Port, Path envFile) {
    }

    /** Starts everything and writes the env file; on failure stops whatever had started. */
    static DevStack start(Options options) throws Exception {
        refuseIfRunning(options.envFile());
        Files.createDirectories(options.dataDir());
        int kafkaPort = Ports.choose(options.kafkaPort(), "--kafka-port");
        int s3Port = distinctPort(Ports.choose(options.s3Port(), "--s3-port"), kafkaPort);
        int controllerPort = distinctPort(distinctPort(Ports.choose(0, "controller"), kafkaPort), s3Port);

        // S3Proxy's JVM boots while Kafka starts in this one.
        CompletableFuture<S3ProxyProcess> s3Start = CompletableFuture.supplyAsync(() -> startS3Proxy(options.dataDir(), s3Port));
        KafkaBroker broker = null;
        S3ProxyProcess s3proxy = null;
        try {
            broker = KafkaBroker.start(options.dataDir().resolve("kafka"), kafkaPort, controllerPort);
            s3proxy = awaitS3Proxy(s3Start);
            TestStack.Endpoints endpoints = new TestStack.Endpoints(broker.bootstrapServers(), s3proxy.endpoint(),
                    DevCredentials.ACCESS_KEY, DevCredentials.SECRET_KEY, DevCredentials.BUCKET, DevCredentials.REGION);
            TopicProvisioner.ensureTopics(endpoints.kafkaBootstrapServers(), Topics.ALL);
            EnvFile.write(options.envFile(), endpoints, ProcessHandle.current().pid());
            return new DevStack(options, kafkaPort, controllerPort, s3Port, broker, s3proxy, endpoints);
        } catch (Exception | Error e) {
            if (s3proxy == null) {
                s3proxy = s3Start.handle((started, failure) -> started).join();
            }
            stopQuietly(s3proxy, broker);
            throw e;
        }
    }

    private static S3ProxyProcess startS3Proxy(Path dataDir, int port) {
        try {
            return S3ProxyProcess.start(dataDir, port, DevCredentials.BUCKET, S3_START_TIMEOUT);
        } catch (IOException e) {
            throw new DevStackException("Cannot start S3Proxy: " + e.getMessage(), e);
        }
    }

    private static S3ProxyProcess awaitS3Proxy(CompletableFuture<S3ProxyProcess> start) {
        try {
            return start.join();
        } catch (CompletionException e) {
            throw e.getCause() instanceof RuntimeException cause ? cause : e;
        }
    }

    /** A random port can repeat one handed out just before; ask again until it differs. */
    private static int distinctPort(int port, int taken) {
        int candidate = port;
        while (candidate == taken) {
            candidate = Ports.choose(0, "random");
        }
        return candidate;
    }

    /** One data dir serves one stack at a time: the second would fail on Kafka's lock anyway, less clearly. */
    private static void refuseIfRunning(Path envFile) throws IOException {
        if (!Files.exists(envFile)) {
            return;
        }
        Optional<ProcessHandle> owner = runningLauncher(envFile);
        if (owner.isPresent()) {
            throw new DevStackException("A devstack (pid " + owner.get().pid() + ") is already running with the env file "
                    + envFile + "; stop it with 'down' or use another --data-dir");
        }
        EnvFile.delete(envFile);
    }

    /**
     * The launcher that wrote {@code envFile}, if it still runs. A process with that pid that
     * started after the file was written is not it (the pid was recycled after a crash), so it is
     * never reported, and {@code down} never signals it.
     */
    static Optional<ProcessHandle> runningLauncher(Path envFile) throws IOException {
        Instant written = Files.getLastModifiedTime(envFile).toInstant();
        try {
            long pid = Long.parseLong(EnvFile.read(envFile).getOrDefault(EnvFile.DEVSTACK_PID, ""));
            return ProcessHandle.of(pid)
                    .filter(ProcessHandle::isAlive)
                    .filter(process -> process.info().startInstant().map(started -> started.isBefore(written)).orElse(true));
        } catch (NumberFormatException e) {
            return Optional.empty();
        }
    }

    TestStack.Endpoints endpoints() {
        return endpoints;
    }

    Path envFile() {
        return envFile;
    }

    /** The S3Proxy child, for tests. */
    S3ProxyProcess s3proxy() {
        return s3proxy;
    }

    /** Runs {@code action} if S3Proxy exits while this stack is not being closed nor S3 stopped on purpose. */
    void onUnexpectedS3ProxyExit(Runnable action) {
        // Ctrl+C signals the whole process group: S3Proxy may exit just before this JVM's shutdown
        // hook starts closing the stack. A second's grace keeps that from looking like a crash.
        S3ProxyProcess watched = s3proxy;
        watched.onExit().thenRunAsync(() -> {
            if (!closing.get() && !faultInjected && watched == s3proxy) {
                action.run();
            }
        }, CompletableFuture.delayedExecutor(1, TimeUnit.SECONDS));
    }

    /**
     * Stops {@code server} as an outage would (the broker shut down, S3Proxy terminated); its port
     * refuses connections until {@link #start(Server)}. Stopping a stopped server does nothing.
     */
    synchronized void stop(Server server) {
        faultInjected = true;
        switch (server) {
            case KAFKA -> {
                if (broker != null) {
                    broker.close();
                    broker = null;
                }
            }
            case S3 -> {
                if (s3proxy != null) {
                    s3proxy.close();
                    s3proxy = null;
                }
            }
        }
    }

    /** Starts a stopped {@code server} again on its port, with its data; returns once it answers. */
    synchronized void start(Server server) throws Exception {
        switch (server) {
            case KAFKA -> {
                if (broker == null) {
                    broker = KafkaBroker.start(options.dataDir().resolve("kafka"), kafkaPort, controllerPort);
                }
            }
            case S3 -> {
                if (s3proxy == null) {
                    s3proxy = startS3Proxy(options.dataDir(), s3Port);
                }
            }
        }
        faultInjected = broker == null || s3proxy == null;
    }

    @Override
    public void close() {
        if (!closing.compareAndSet(false, true)) {
            return;
        }
        try {
            EnvFile.delete(envFile);
        } finally {
            stopQuietly(s3proxy, broker);
        }
    }

    private static void stopQuietly(S3ProxyProcess s3proxy, KafkaBroker broker) {
        // Either may be null: never started, or stopped by a fault-injection test.
        if (s3proxy != null) {
            s3proxy.close();
        }
        if (broker != null) {
            broker.close();
        }
    }
}
