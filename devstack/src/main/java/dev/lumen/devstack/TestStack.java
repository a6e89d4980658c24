package dev.lumen.devstack;

import java.time.Duration;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The Kafka broker and S3 server a test JVM talks to: the ones named by the environment when CI
 * started a devstack ({@code KAFKA_BOOTSTRAP_SERVERS} and {@code S3_ENDPOINT} set), otherwise a
 * devstack this class launches once per JVM from the packaged launcher jar and stops when the JVM
 * exits.
 *
 * <p>Uses JDK classes only: services put the devstack jar on their test class path with every
 * transitive dependency excluded, and the launcher runs as a separate process with its own.
 */
public final class TestStack {

    /** How long a launched devstack may take to publish its env file. */
    static final Duration START_TIMEOUT = Duration.ofSeconds(60);

    private static Endpoints started;
    private static RuntimeException failure;

    private TestStack() {
    }

    /**
     * The endpoints of this JVM's stack, starting one on first use when the environment names none.
     *
     * @throws IllegalStateException when the launcher jar cannot be found or the stack does not
     *                               become ready within 60 seconds (the message holds its log)
     */
    public static synchronized Endpoints ensureStarted() {
        if (failure != null) {
            // One failed start per JVM is enough: later test classes fail fast with the same cause.
            throw new IllegalStateException("The devstack failed to start earlier in this JVM", failure);
        }
        if (started == null) {
            started = fromEnvironment(System.getenv());
        }
        if (started == null) {
            try {
                StackProcess stack = StackProcess.launch(
                        StackProcess.jarCommand(DevStackJarLocator.locate()), START_TIMEOUT);
                Runtime.getRuntime().addShutdownHook(new Thread(stack::stop, "lumen-devstack-stop"));
                started = stack.endpoints();
            } catch (RuntimeException e) {
                failure = e;
                throw e;
            }
        }
        return started;
    }

    static Endpoints fromEnvironment(Map<String, String> environment) {
        boolean named = !environment.getOrDefault(EnvFile.KAFKA_BOOTSTRAP_SERVERS, "").isBlank()
                && !environment.getOrDefault(EnvFile.S3_ENDPOINT, "").isBlank();
        return named ? EnvFile.toEndpoints(environment) : null;
    }

    /**
     * Where a running devstack listens and how to sign S3 requests to it.
     *
     * @param kafkaBootstrapServers {@code host:port} of the Kafka broker
     * @param s3Endpoint            base URL of the S3 server, such as {@code http://127.0.0.1:9000}
     * @param s3AccessKey           S3 access key
     * @param s3SecretKey           S3 secret key
     * @param s3Bucket              the bucket the stack created
     * @param s3Region              the region to sign with
     */
    public record Endpoints(String kafkaBootstrapServers, String s3Endpoint, String s3AccessKey,
                            String s3SecretKey, String s3Bucket, String s3Region) {

        /**
         * The endpoints as Quarkus configuration, for a {@code QuarkusTestResourceLifecycleManager}
         * to return: {@code kafka.bootstrap.servers} and the {@code lumen.s3.*} keys.
         */
        public Map<String, String> asQuarkusConfig() {
            Map<String, String> config = new LinkedHashMap<>();
            config.put("kafka.bootstrap.servers", kafkaBootstrapServers);
            config.put("lumen.s3.endpoint", s3Endpoint);
            config.put("lumen.s3.access-key", s3AccessKey);
            config.put("lumen.s3.secret-key", s3SecretKey);
            config.put("lumen.s3.bucket", s3Bucket);
            config.put("lumen.s3.region", s3Region);
            return Collections.unmodifiableMap(config);
        }

        @Override
        public String toString() {
            // The secret stays out of test logs even though it is a fixed dev value.
            return "Endpoints[kafka=" + kafkaBootstrapServers + ", s3=" + s3Endpoint + ", bucket=" + s3Bucket + "]";
        }
    }

}
