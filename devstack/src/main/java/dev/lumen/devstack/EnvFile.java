package dev.lumen.devstack;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The {@code KEY=value} file a running devstack publishes its addresses in. It exists only while
 * the stack is ready, so its presence is the readiness signal; it is written to a temporary file
 * and renamed so that a reader never sees half of it. Uses JDK classes only, as {@link TestStack}
 * reads it too.
 */
public final class EnvFile {

    public static final String KAFKA_BOOTSTRAP_SERVERS = "KAFKA_BOOTSTRAP_SERVERS";
    public static final String S3_ENDPOINT = "S3_ENDPOINT";
    public static final String S3_ACCESS_KEY = "S3_ACCESS_KEY";
    public static final String S3_SECRET_KEY = "S3_SECRET_KEY";
    public static final String S3_BUCKET = "S3_BUCKET";
    public static final String S3_REGION = "S3_REGION";
    public static final String DEVSTACK_PID = "DEVSTACK_PID";

    /** The env file's name inside the data dir when none is given. */
    public static final String DEFAULT_NAME = "devstack.env";

    private EnvFile() {
    }

    /** Writes the endpoints and the launcher's pid to {@code file}, atomically where the file system allows. */
    public static void write(Path file, TestStack.Endpoints endpoints, long pid) {
        Map<String, String> values = new LinkedHashMap<>();
        values.put(KAFKA_BOOTSTRAP_SERVERS, endpoints.kafkaBootstrapServers());
        values.put(S3_ENDPOINT, endpoints.s3Endpoint());
        values.put(S3_ACCESS_KEY, endpoints.s3AccessKey());
        values.put(S3_SECRET_KEY, endpoints.s3SecretKey());
        values.put(S3_BUCKET, endpoints.s3Bucket());
        values.put(S3_REGION, endpoints.s3Region());
        values.put(DEVSTACK_PID, Long.toString(pid));
        StringBuilder text = new StringBuilder();
        values.forEach((key, value) -> text.append(key).append('=').append(value).append('\n'));
        try {
            Path absolute = file.toAbsolutePath();
            Files.createDirectories(absolute.getParent());
            Path temporary = Files.createTempFile(absolute.getParent(), absolute.getFileName() + ".", ".tmp");
            Files.writeString(temporary, text, StandardCharsets.UTF_8);
            try {
                Files.move(temporary, absolute, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(temporary, absolute, StandardCopyOption.REPLACE_EXISTING);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot write the env file " + file, e);
        }
    }

    /** Reads {@code KEY=value} lines, skipping blank lines and {@code #} comments. */
    public static Map<String, String> read(Path file) throws IOException {
        return parse(Files.readAllLines(file, StandardCharsets.UTF_8));
    }

    static Map<String, String> parse(List<String> lines) {
        Map<String, String> values = new LinkedHashMap<>();
        for (String line : lines) {
            String trimmed = line.strip();
            int equals = trimmed.indexOf('=');
            if (trimmed.isEmpty() || trimmed.startsWith("#") || equals <= 0) {
                continue;
            }
            values.put(trimmed.substring(0, equals).strip(), trimmed.substring(equals + 1).strip());
        }
        return values;
    }

    /**
     * The endpoints named by env-file (or environment) variables; the S3 identity, bucket and
     * region default to the devstack's own when absent.
     */
    public static TestStack.Endpoints toEndpoints(Map<String, String> values) {
        return new TestStack.Endpoints(
                values.getOrDefault(KAFKA_BOOTSTRAP_SERVERS, ""),
                required(values, S3_ENDPOINT),
                values.getOrDefault(S3_ACCESS_KEY, DevCredentials.ACCESS_KEY),
                values.getOrDefault(S3_SECRET_KEY, DevCredentials.SECRET_KEY),
                values.getOrDefault(S3_BUCKET, DevCredentials.BUCKET),
                values.getOrDefault(S3_REGION, DevCredentials.REGION));
    }

    private static String required(Map<String, String> values, String key) {
        String value = values.get(key);
        if (value == null || value.isBlank()) {
            throw new DevStackException(key + " is not set");
        }
        return value;
    }

    /** Deletes the file if it exists; a stack that stops is no longer ready. */
    public static void delete(Path file) {
        try {
            Files.deleteIfExists(file);
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot delete the env file " + file, e);
        }
    }
}
