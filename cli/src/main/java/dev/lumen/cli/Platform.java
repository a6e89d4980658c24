package dev.lumen.cli;

import dev.lumen.devstack.EnvFile;
import dev.lumen.devstack.TestStack;

import java.io.IOException;
import java.io.PrintStream;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The whole platform on this machine: the devstack (Kafka and S3) and the three services, each its own
 * JVM, logs under {@code .lumen/logs/}. Stops services before the broker, so no consumer waits out a
 * stale group member's session timeout. Optionally runs more than one worker ({@code worker-service},
 * {@code worker-service-2}, ...), restarts what exits ({@link #supervise(PrintStream)}), and stops or
 * starts Kafka or S3 on their ports for fault-injection tests ({@link #stop(Dependency)}).
 */
public final class Platform implements AutoCloseable {

    /** The services in start order. */
    public static final List<String> SERVICES = List.of("results-service", "run-service", "worker-service");
    /** Name of the devstack process, as {@link #process(String)} and the supervisor know it. */
    public static final String DEVSTACK = "devstack";
    static final String WORKER = "worker-service";
    private static final Duration READY_TIMEOUT = Duration.ofSeconds(120);
    private static final Duration STOP_GRACE = Duration.ofSeconds(20);
    private static final Duration FAULT_TIMEOUT = Duration.ofSeconds(60);

    /** A dependency a fault-injection test can take away and give back. */
    public enum Dependency {
        KAFKA("kafka"), S3("s3");

        private final String command;

        Dependency(String command) {
            this.command = command;
        }
    }

    private final Workspace workspace;
    private final Path dataDir;
    private final List<String> instances;
    private final Map<String, Integer> ports;
    private final Map<String, ManagedProcess> services = Collections.synchronizedMap(new LinkedHashMap<>());
    private final Object lock = new Object();
    private volatile ManagedProcess devstack;
    private volatile boolean closed;
    private volatile Runnable onProcessesChanged = () -> { };
    private TestStack.Endpoints endpoints;
    private Supervisor supervisor;

    private Map<String, String> extraEnvironment = Map.of();

    private Platform(Workspace workspace, Path dataDir, List<String> instances, Map<String, Integer> ports) {
        this.workspace = workspace;
        this.dataDir = dataDir;
        this.instances = instances;
        this.ports = ports;
    }

    /**
     * Starts the devstack on {@code dataDir} (kept across starts) and the three services on the preferred
     * ports, or free ones where those are taken; returns when every service is ready.
     */
    public static Platform start(Workspace workspace, Path dataDir, Map<String, Integer> preferredPorts) {
        return start(workspace, dataDir, preferredPorts, 1);
    }

    /** As {@link #start(Workspace, Path, Map)}, with {@code workers} worker instances in one consumer group. */
    public static Platform start(Workspace workspace, Path dataDir, Map<String, Integer> preferredPorts, int workers) {
        return start(workspace, dataDir, preferredPorts, workers, Map.of());
    }

    /**
     * As {@link #start(Workspace, Path, Map, int)}, with variables added to every service's environment
     * (e.g. {@code OTEL_SDK_DISABLED=false} and an OTLP endpoint to trace the services). The services
     * inherit this process's environment as well, so {@code OTEL_*} variables set for {@code ./lumen up}
     * reach them without this.
     */
    public static Platform start(Workspace workspace, Path dataDir, Map<String, Integer> preferredPorts, int workers,
                                 Map<String, String> extraEnvironment) {
        for (Path artifact : workspace.requiredArtifacts()) {
            if (!Files.exists(artifact)) {
                throw new CliException("missing build artifact " + artifact + "; build first: ./mvnw -B install -DskipTests");
            }
        }
        List<String> instances = new ArrayList<>(SERVICES);
        for (int n = 2; n <= workers; n++) {
            instances.add(WORKER + "-" + n);
        }
        Map<String, Integer> ports = new LinkedHashMap<>();
        for (String instance : instances) {
            ports.put(instance, portOrFree(preferredPorts.getOrDefault(instance, 0)));
        }
        Platform platform = new Platform(workspace, dataDir, List.copyOf(instances), ports);
        platform.extraEnvironment = Map.copyOf(extraEnvironment);
        try {
            platform.startDevstack(0, 0);
            for (String instance : instances) {
                platform.startService(instance);
            }
            for (String instance : instances) {
                platform.awaitReady(instance);
            }
            return platform;
        } catch (RuntimeException e) {
            platform.close();
            throw e;
        }
    }

    /** The workspace the platform runs from. */
    public Workspace workspace() {
        return workspace;
    }

    public TestStack.Endpoints endpoints() {
        return endpoints;
    }

    /** The service instances, in start order (the workers beyond the first at the end). */
    public List<String> instances() {
        return instances;
    }

    /** Base URL of a service instance, e.g. {@code http://127.0.0.1:8081}. */
    public String baseUrl(String service) {
        return "http://127.0.0.1:" + ports.get(service);
    }

    /** A development token for {@code tenant}, trusted by the services this platform runs. */
    public String token(String tenant) {
        return DevTokens.of(workspace).mint(tenant, java.time.Duration.ofHours(12));
    }

    /** The running process of a service instance. */
    public ManagedProcess service(String service) {
        return services.get(service);
    }

    /** The process of a service instance or of the {@link #DEVSTACK}. */
    public ManagedProcess process(String name) {
        return DEVSTACK.equals(name) ? devstack : services.get(name);
    }

    /** Every process the platform runs now, the devstack first: what {@code ./lumen down} must stop. */
    public List<ManagedProcess> processes() {
        List<ManagedProcess> all = new ArrayList<>();
        if (devstack != null) {
            all.add(devstack);
        }
        synchronized (services) {
            all.addAll(services.values());
        }
        return all;
    }

    /** Called after a process was started again (its pid changed). */
    public void onProcessesChanged(Runnable listener) {
        this.onProcessesChanged = listener;
    }

    /** Starts (or restarts) one service and waits until it is ready. */
    public void restart(String service) {
        ManagedProcess old = services.remove(service);
        if (old != null) {
            old.stop(STOP_GRACE);
        }
        synchronized (lock) {
            if (closed) {
                throw new CliException("the platform is stopping");
            }
            startService(service);
        }
        awaitReady(service);
    }

    /**
     * Restarts every process that exits, with backoff, saying so on {@code console} and in the
     * process's log, until the platform is closed.
     */
    public synchronized void supervise(PrintStream console) {
        if (supervisor == null) {
            supervisor = new Supervisor(this, console::println);
            supervisor.start();
        }
    }

    /**
     * Starts a process that has exited again: a service instance on its port (and waits until it is
     * ready), or the devstack on the ports it had, so that the services find their dependencies where
     * they were.
     *
     * @throws CliException when it does not come up
     */
    void respawn(String name) {
        synchronized (lock) {
            if (closed) {
                return;
            }
            if (DEVSTACK.equals(name)) {
                startDevstack(kafkaPort(), s3Port());
            } else {
                startService(name);
            }
        }
        if (!DEVSTACK.equals(name)) {
            awaitReady(name);
        }
        onProcessesChanged.run();
    }

    boolean closed() {
        return closed;
    }

    /**
     * Takes {@code dependency} away as an outage would: the devstack stops that server, and this
     * returns once its port refuses connections.
     */
    public void stop(Dependency dependency) {
        devstack.send("stop " + dependency.command);
        awaitPort(dependency, false);
    }

    /** Gives {@code dependency} back on its port with its data; returns once it accepts connections. */
    public void start(Dependency dependency) {
        devstack.send("start " + dependency.command);
        awaitPort(dependency, true);
    }

    private void awaitPort(Dependency dependency, boolean open) {
        int port = dependency == Dependency.KAFKA ? kafkaPort() : s3Port();
        Instant deadline = Instant.now().plus(FAULT_TIMEOUT);
        while (accepts(port) != open) {
            if (Instant.now().isAfter(deadline)) {
                throw new CliException(dependency + " did not " + (open ? "start" : "stop") + " within "
                        + FAULT_TIMEOUT.toSeconds() + " s:\n" + devstack.logTail(20));
            }
            sleep(100);
        }
    }

    private int kafkaPort() {
        String bootstrap = endpoints.kafkaBootstrapServers();
        return Integer.parseInt(bootstrap.substring(bootstrap.lastIndexOf(':') + 1));
    }

    private int s3Port() {
        return URI.create(endpoints.s3Endpoint()).getPort();
    }

    private static boolean accepts(int port) {
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress("127.0.0.1", port), 500);
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    /** The environment the services read, the same keys compose and Kubernetes set. */
    public Map<String, String> serviceEnvironment() {
        return serviceEnvironment(WORKER);
    }

    private Map<String, String> serviceEnvironment(String instance) {
        Map<String, String> env = new LinkedHashMap<>();
        env.put("KAFKA_BOOTSTRAP_SERVERS", endpoints.kafkaBootstrapServers());
        env.put("S3_ENDPOINT", endpoints.s3Endpoint());
        env.put("S3_ACCESS_KEY", endpoints.s3AccessKey());
        env.put("S3_SECRET_KEY", endpoints.s3SecretKey());
        env.put("S3_BUCKET", endpoints.s3Bucket());
        env.put("S3_REGION", endpoints.s3Region());
        env.put("RESULTS_BASE_URL", baseUrl("results-service"));
        // results-service forwards the web UI's run-service calls there (one origin for the browser).
        env.put("RUN_SERVICE_URL", baseUrl("run-service"));
        env.put("RUN_SERVICE_PORT", String.valueOf(ports.get("run-service")));
        env.put("RESULTS_SERVICE_PORT", String.valueOf(ports.get("results-service")));
        boolean worker = instance.startsWith(WORKER);
        env.put("WORKER_SERVICE_PORT", String.valueOf(ports.get(worker ? instance : WORKER)));
        // One model cache per worker: two JVMs filling one folder at once would race.
        env.put("LUMEN_WORKER_MODEL_CACHE_DIR", dataDir.resolve(worker && !instance.equals(WORKER)
                ? "worker-cache-" + instance : "worker-cache").toString());
        if (worker) {
            env.put("LUMEN_WORKER_ID", instance);
        }
        env.put("TF_CPP_MIN_LOG_LEVEL", "2");
        // The services trust tokens signed with the workspace's development key (see DevTokens).
        env.put("LUMEN_JWT_PUBLIC_KEY", DevTokens.of(workspace).publicKey().toString());
        env.putAll(extraEnvironment);
        return env;
    }

    private void startDevstack(int kafkaPort, int s3Port) {
        Path envFile = dataDir.resolve("devstack.env");
        try {
            Files.deleteIfExists(envFile);
        } catch (IOException e) {
            throw new CliException("cannot clear " + envFile + ": " + e.getMessage(), e);
        }
        List<String> command = java("-Xmx512m");
        command.addAll(List.of("-jar", workspace.devstackJar().toString(), "up", "--data-dir", dataDir.toString(),
                "--kafka-port", String.valueOf(kafkaPort), "--s3-port", String.valueOf(s3Port),
                "--env-file", envFile.toString(), "--exit-when-stdin-closes"));
        devstack = ManagedProcess.start(DEVSTACK, command, Map.of(), logFile(DEVSTACK));
        Instant deadline = Instant.now().plus(READY_TIMEOUT);
        while (!Files.exists(envFile)) {
            if (!devstack.isAlive() || Instant.now().isAfter(deadline)) {
                throw new CliException("devstack did not start:\n" + devstack.logTail(30));
            }
            sleep(100);
        }
        try {
            endpoints = EnvFile.toEndpoints(EnvFile.read(envFile));
        } catch (IOException e) {
            throw new CliException("cannot read " + envFile + ": " + e.getMessage(), e);
        }
    }

    private void startService(String instance) {
        String service = instance.startsWith(WORKER) ? WORKER : instance;
        List<String> command = java(service.equals(WORKER) ? "-Xmx3g" : "-Xmx512m");
        command.addAll(List.of("-jar", workspace.serviceJar(service).toString()));
        services.put(instance, ManagedProcess.start(instance, command, serviceEnvironment(instance), logFile(instance)));
    }

    private void awaitReady(String service) {
        ManagedProcess process = services.get(service);
        HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
        URI health = URI.create(baseUrl(service) + "/q/health/ready");
        Instant deadline = Instant.now().plus(READY_TIMEOUT);
        while (true) {
            if (process == null || !process.isAlive()) {
                throw new CliException(service + " exited during start:\n" + (process == null ? "" : process.logTail(40)));
            }
            try {
                HttpResponse<Void> response = http.send(HttpRequest.newBuilder(health).timeout(Duration.ofSeconds(2)).build(),
                        HttpResponse.BodyHandlers.discarding());
                if (response.statusCode() == 200) {
                    return;
                }
            } catch (IOException e) {
                // not listening yet
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new CliException("interrupted while waiting for " + service);
            }
            if (Instant.now().isAfter(deadline)) {
                throw new CliException(service + " was not ready within " + READY_TIMEOUT.toSeconds() + " s:\n"
                        + process.logTail(40));
            }
            sleep(250);
        }
    }

    private Path logFile(String name) {
        return dataDir.resolve("logs").resolve(name + ".log");
    }

    private static List<String> java(String heap) {
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.add(heap);
        return command;
    }

    private static int portOrFree(int preferred) {
        if (preferred > 0) {
            try (ServerSocket socket = new ServerSocket(preferred)) {
                return preferred;
            } catch (IOException e) {
                // taken: fall through to a free port
            }
        }
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new CliException("no free port: " + e.getMessage(), e);
        }
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new CliException("interrupted");
        }
    }

    /**
     * Stops the supervisor, then the services (in reverse order), then the devstack. Safe to call
     * twice at once: Ctrl-C's shutdown hook and the command's own cleanup may both close.
     */
    @Override
    public void close() {
        closed = true;
        Supervisor watching;
        synchronized (this) {
            watching = supervisor;
        }
        if (watching != null) {
            watching.stop();
        }
        synchronized (lock) {
            List<String> names;
            synchronized (services) {
                names = new ArrayList<>(services.keySet());
            }
            Collections.reverse(names);
            for (String name : names) {
                ManagedProcess service = services.remove(name);
                if (service != null) {
                    service.stop(STOP_GRACE);
                }
            }
            if (devstack != null) {
                devstack.stop(Duration.ofSeconds(60));
                devstack = null;
            }
        }
    }
}
