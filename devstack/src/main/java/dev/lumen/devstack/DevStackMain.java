package dev.lumen.devstack;

import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * The devstack command line: {@code up}, {@code down}, {@code seed-model} and {@code seed-dataset}.
 * Failures the user can fix print one line to stderr and exit with status 1 (2 for usage errors).
 */
public final class DevStackMain {

    static final String USAGE = String.join("\n",
            "Usage: java -jar lumen-devstack.jar COMMAND [OPTIONS]",
            "  up [--data-dir DIR] [--kafka-port N] [--s3-port N] [--env-file FILE] [--exit-when-stdin-closes]",
            "      start Kafka and S3, write the env file when ready, run until SIGTERM/SIGINT",
            "      (with --exit-when-stdin-closes, until stdin closes; the lines 'stop kafka', 'start kafka',",
            "       'stop s3' and 'start s3' on stdin stop or restart one server on its port, for fault tests)",
            "      (defaults: --data-dir .lumen/devstack, --kafka-port 9092, --s3-port 9000,",
            "       --env-file DATA_DIR/devstack.env; port 0 picks a free port)",
            "  down [--data-dir DIR] [--env-file FILE]",
            "      stop the devstack whose pid the env file holds, and wait until it has exited",
            "  seed-model --id ID [--data-dir DIR] [--env-file FILE] MODEL_DIR",
            "      upload every file of MODEL_DIR to models/ID/<relative path>",
            "  seed-dataset --id ID [--data-dir DIR] [--env-file FILE] IMAGE_DIR",
            "      upload the images in IMAGE_DIR to datasets/ID/images/<file name> (and IMAGE_DIR/ground-truth.json, COCO,",
            "      to datasets/ID/ground-truth.json)",
            "  Seeding uses --env-file if given, else S3_ENDPOINT etc. from the environment, else DATA_DIR/devstack.env.");

    static final int DEFAULT_KAFKA_PORT = 9092;
    static final int DEFAULT_S3_PORT = 9000;
    private static final Duration DOWN_TIMEOUT = Duration.ofSeconds(60);
    private static final Set<String> LOCATION_OPTIONS = Set.of("--data-dir", "--env-file");

    private DevStackMain() {
    }

    /** Runs one command; {@code up} returns when stdin closes (with its flag) or the JVM exits. */
    public static void main(String[] args) {
        // Before the first logger exists: Kafka logs through SLF4J to logback, at DEBUG without a configuration.
        if (System.getProperty("logback.configurationFile") == null) {
            System.setProperty("logback.configurationFile", S3ProxyProcess.LOGBACK_CONFIG);
        }
        System.exit(run(Arrays.asList(args), System.in, System.out, System.err));
    }

    static int run(List<String> args, InputStream stdin, PrintStream out, PrintStream err) {
        if (args.isEmpty() || args.get(0).equals("--help") || args.get(0).equals("help")) {
            (args.isEmpty() ? err : out).println(USAGE);
            return args.isEmpty() ? 2 : 0;
        }
        List<String> rest = args.subList(1, args.size());
        try {
            switch (args.get(0)) {
                case "up" -> up(rest, stdin, out, err);
                case "down" -> down(rest, out);
                case "seed-model", "seed-dataset" -> seed(args.get(0), rest, out);
                default -> {
                    err.println("devstack: unknown command '" + args.get(0) + "'\n" + USAGE);
                    return 2;
                }
            }
            return 0;
        } catch (DevStackException e) {
            err.println("devstack: " + e.getMessage());
            return 1;
        } catch (Exception e) {
            err.println("devstack: " + args.get(0) + " failed: " + e);
            e.printStackTrace(err);
            return 1;
        }
    }

    private static void up(List<String> rawArgs, InputStream stdin, PrintStream out, PrintStream err) throws Exception {
        Arguments args = Arguments.parse(rawArgs, Set.of("--data-dir", "--env-file", "--kafka-port", "--s3-port"),
                Set.of("--exit-when-stdin-closes"));
        noPositionals(args);
        long startedAt = System.nanoTime();
        DevStack stack = DevStack.start(new DevStack.Options(args.dataDir(),
                args.port("--kafka-port", DEFAULT_KAFKA_PORT), args.port("--s3-port", DEFAULT_S3_PORT), args.envFile()));
        Thread stopOnSignal = new Thread(stack::close, "lumen-devstack-shutdown");
        Runtime.getRuntime().addShutdownHook(stopOnSignal);
        stack.onUnexpectedS3ProxyExit(() -> {
            err.println("devstack: S3Proxy exited unexpectedly (see " + args.dataDir().resolve("s3proxy.log") + "); stopping");
            System.exit(1);
        });
        TestStack.Endpoints endpoints = stack.endpoints();
        out.printf(Locale.ROOT, "Lumen devstack ready in %.1f s (pid %d): KAFKA_BOOTSTRAP_SERVERS=%s S3_ENDPOINT=%s S3_BUCKET=%s;"
                        + " env file %s; stop with Ctrl+C or 'down'%n",
                (System.nanoTime() - startedAt) / 1e9, ProcessHandle.current().pid(), endpoints.kafkaBootstrapServers(),
                endpoints.s3Endpoint(), endpoints.s3Bucket(), stack.envFile());
        out.flush();
        if (!args.has("--exit-when-stdin-closes")) {
            // Runs until a signal; the shutdown hook stops the stack.
            new CountDownLatch(1).await();
        }
        // The parent holds the other end of stdin; end of file means it is gone or wants the stack stopped.
        // Lines before that are fault-injection commands.
        java.io.BufferedReader lines = new java.io.BufferedReader(
                new java.io.InputStreamReader(stdin, java.nio.charset.StandardCharsets.UTF_8));
        for (String line = lines.readLine(); line != null; line = lines.readLine()) {
            control(stack, line.trim(), out);
        }
        try {
            Runtime.getRuntime().removeShutdownHook(stopOnSignal);
        } catch (IllegalStateException e) {
            // A signal came at the same moment: the hook is already stopping the stack.
        }
        stack.close();
    }

    /** Applies one fault-injection command ({@code stop|start kafka|s3}); anything else is reported and ignored. */
    private static void control(DevStack stack, String command, PrintStream out) {
        String[] words = command.toLowerCase(Locale.ROOT).split("\\s+");
        if (words.length != 2 || !Set.of("stop", "start").contains(words[0]) || !Set.of("kafka", "s3").contains(words[1])) {
            if (!command.isEmpty()) {
                out.println("devstack: unknown command '" + command + "' (stop|start kafka|s3)");
            }
            return;
        }
        DevStack.Server server = words[1].equals("kafka") ? DevStack.Server.KAFKA : DevStack.Server.S3;
        long started = System.nanoTime();
        try {
            if (words[0].equals("stop")) {
                stack.stop(server);
            } else {
                stack.start(server);
            }
            out.printf(Locale.ROOT, "devstack: %s %s in %.1f s%n", words[1], words[0].equals("stop") ? "stopped" : "started",
                    (System.nanoTime() - started) / 1e9);
        } catch (Exception e) {
            out.println("devstack: " + command + " failed: " + e);
        }
        out.flush();
    }

    private static void down(List<String> rawArgs, PrintStream out) throws IOException, InterruptedException {
        Arguments args = Arguments.parse(rawArgs, LOCATION_OPTIONS, Set.of());
        noPositionals(args);
        Path envFile = args.envFile();
        if (!Files.exists(envFile)) {
            out.println("No devstack env file at " + envFile + "; nothing to stop");
            return;
        }
        Optional<ProcessHandle> launcher = DevStack.runningLauncher(envFile);
        if (launcher.isEmpty()) {
            EnvFile.delete(envFile);
            out.println("The devstack of " + envFile + " was not running; removed its stale env file");
            return;
        }
        launcher.get().destroy();
        try {
            launcher.get().onExit().get(DOWN_TIMEOUT.toSeconds(), TimeUnit.SECONDS);
        } catch (TimeoutException e) {
            throw new DevStackException("The devstack (pid " + launcher.get().pid() + ") did not stop within "
                    + DOWN_TIMEOUT.toSeconds() + " s");
        } catch (ExecutionException e) {
            throw new IllegalStateException(e);
        }
        // A launcher that was killed outright could not remove it itself.
        EnvFile.delete(envFile);
        out.println("Stopped the devstack (pid " + launcher.get().pid() + ")");
    }

    private static void seed(String command, List<String> rawArgs, PrintStream out) throws Exception {
        Arguments args = Arguments.parse(rawArgs, Set.of("--id", "--data-dir", "--env-file"), Set.of());
        if (args.positionals().size() != 1) {
            throw new DevStackException(command + " needs exactly one directory argument\n" + USAGE);
        }
        String id = args.required("--id");
        Path dir = Path.of(args.positionals().get(0)).toAbsolutePath().normalize();
        TestStack.Endpoints s3 = s3Endpoints(args);
        BucketUploader store = BucketUploader.connect(s3);
        Seeder seeder = new Seeder(store);
        List<String> keys = command.equals("seed-model") ? seeder.seedModel(id, dir) : seeder.seedDataset(id, dir);
        String prefix = command.equals("seed-model") ? "models/" + id + "/" : "datasets/" + id + "/images/";
        out.printf("Uploaded %d file%s from %s to s3://%s/%s at %s%n", keys.size(), keys.size() == 1 ? "" : "s",
                dir, store.bucket(), prefix, s3.s3Endpoint());
    }

    /** An explicit --env-file wins, then S3_ENDPOINT from the environment, then the data dir's env file. */
    private static TestStack.Endpoints s3Endpoints(Arguments args) throws IOException {
        Map<String, String> environment = System.getenv();
        if (!args.has("--env-file") && !environment.getOrDefault(EnvFile.S3_ENDPOINT, "").isBlank()) {
            return EnvFile.toEndpoints(environment);
        }
        Path envFile = args.envFile();
        if (!Files.exists(envFile)) {
            throw new DevStackException("No env file at " + envFile + " and no S3_ENDPOINT in the environment;"
                    + " start the devstack with 'up' first");
        }
        return EnvFile.toEndpoints(EnvFile.read(envFile));
    }

    private static void noPositionals(Arguments args) {
        if (!args.positionals().isEmpty()) {
            throw new DevStackException("Unexpected argument " + args.positionals().get(0) + "\n" + USAGE);
        }
    }
}
