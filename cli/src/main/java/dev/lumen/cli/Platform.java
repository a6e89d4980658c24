package dev.lumen.cli;

import dev.lumen.devstack.EnvFile;
import dev.lumen.devstack.TestStack;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The whole platform on this machine: the devstack (Kafka and S3) and the three services, each its own
 * JVM, logs under {@code .lumen/logs/}. Stops services before the broker, so no consumer waits out a
 * stale group member's session timeout.
 */
public final class Platform implements AutoCloseable {

    /** The services in start order. */
    public static final List<String> SERVICES = List.of("results-service", "run-service", "worker-service");
    private static final Duration READY_TIMEOUT = Duration.ofSeconds(120);
    private static final Duration STOP_GRACE = Duration.ofSeconds(20);

    private final Workspace workspace;
    private final Path dataDir;
    private final Map<String, Integer> ports;
    private final Map<String, ManagedProcess> services = new LinkedHashMap<>();
    private ManagedProcess devstack;
    private TestStack.Endpoints endpoints;

    private Platform(Workspace workspace, Path dataDir, Map<String, Integer> ports) {
        this.workspace = workspace;
        this.dataDir = dataDir;
        this.ports = ports;
    }

    /**
     * Starts the devstack on {@code dataDir} (kept across starts) and the three services on the preferred
     * ports, or free ones where those are taken; returns when every service is ready.
     */
    public static Platform start(Workspace workspace, Path dataDir, Map<String, Integer> preferredPorts) {
        for (Path artifact : workspace.requiredArtifacts()) {
            if (!Files.exists(artifact)) {
                throw new CliException("missing build artifact " + artifact + "; build first: ./mvnw -B install -DskipTests");
            }
        }
        Map<String, Integer> ports = new LinkedHashMap<>();
        for (String service : SERVICES) {
            ports.put(service, portOrFree(preferredPorts.getOrDefault(service, 0)));
        }
        Platform platform = new Platform(workspace, dataDir, ports);
        try {
            platform.startDevstack();
            for (String service : SERVICES) {
                platform.startService(service);
            }
            for (String service : SERVICES) {
                platform.awaitReady(service);
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

    /** Base URL of a service, e.g. {@code http://127.0.0.1:8081}. */
    public String baseUrl(String service) {
        return "http://127.0.0.1:" + ports.get(service);
    }

    /** A development token for {@code tenant}, trusted by the services this platform runs. */
    public String token(String tenant) {
        return DevTokens.of(workspace).mint(tenant, java.time.Duration.ofHours(12));
    }

    /** The running process of a service. */
    public ManagedProcess service(String service) {
        return services.get(service);
    }

    /** Starts (or restarts) one service and waits until it is ready. */
    public void restart(String service) {
        ManagedProcess old = services.remove(service);
        if (old != null) {
            old.stop(STOP_GRACE);
        }
        startService(service);
        awaitReady(service);
    }

    /** The environment the services read, the same keys compose and Kubernetes set. */
    public Map<String, String> serviceEnvironment() {
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
        env.put("WORKER_SERVICE_PORT", String.valueOf(ports.get("worker-service")));
        env.put("LUMEN_WORKER_MODEL_CACHE_DIR", dataDir.resolve("worker-cache").toString());
        env.put("TF_CPP_MIN_LOG_LEVEL", "2");
        // The services trust tokens signed with the workspace's development key (see DevTokens).
        env.put("LUMEN_JWT_PUBLIC_KEY", DevTokens.of(workspace).publicKey().toString());
        return env;
    }

    private void startDevstack() {
        Path envFile = dataDir.resolve("devstack.env");
        try {
            Files.deleteIfExists(envFile);
        } catch (IOException e) {
            throw new CliException("cannot clear " + envFile + ": " + e.getMessage(), e);
        }
        List<String> command = java("-Xmx512m");
        command.addAll(List.of("-jar", workspace.devstackJar().toString(), "up", "--data-dir", dataDir.toString(),
                "--kafka-port", "0", "--s3-port", "0", "--env-file", envFile.toString(), "--exit-when-stdin-closes"));
        devstack = ManagedProcess.start("devstack", command, Map.of(), logFile("devstack"));
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

    private void startService(String service) {
        List<String> command = java(service.equals("worker-service") ? "-Xmx3g" : "-Xmx512m");
        command.addAll(List.of("-jar", workspace.serviceJar(service).toString()));
        services.put(service, ManagedProcess.start(service, command, serviceEnvironment(), logFile(service)));
    }

    private void awaitReady(String service) {
        ManagedProcess process = services.get(service);
        HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
        URI health = URI.create(baseUrl(service) + "/q/health/ready");
        Instant deadline = Instant.now().plus(READY_TIMEOUT);
        while (true) {
            if (!process.isAlive()) {
                throw new CliException(service + " exited during start:\n" + process.logTail(40));
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
     * Stops the services (in reverse order), then the devstack. Safe to call twice at once: Ctrl-C's
     * shutdown hook and the command's own cleanup may both close.
     */
    @Override
    public synchronized void close() {
        List<String> names = new ArrayList<>(services.keySet());
        java.util.Collections.reverse(names);
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
