package dev.lumen.cli;

import com.fasterxml.jackson.databind.JsonNode;
import dev.lumen.catalogue.MethodCatalogue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;

/**
 * Entry point of {@code ./lumen demo|up|down|runs}. Errors print one line and exit non-zero; the
 * {@code explain}, {@code bench} and {@code fixtures} commands live in the explainer CLI (explainer-cli).
 */
public final class LumenMain {

    static final String USAGE = String.join("\n",
            "Usage: ./lumen COMMAND",
            "  demo [--exit] [--task detection|classification|segmentation|attributes] [--method M] [--images N] [--masks N] [--fixture]",
            "                                             start everything, load a real pretrained model and real photos,",
            "                                             explain them (default: D-RISE on the NanoDet detector), show progress;",
            "                                             --fixture uses the Java-trained squares model (no downloads)",
            "  up                                         start the devstack and the three services until Ctrl-C;\n"
            + "                                             one that exits is restarted (backoff 1 s doubling to 30 s)",
            "  down                                       stop what 'up' or 'demo' started",
            "  runs create --model ID --dataset ID --method M --images N [--seed S] [--name NAME] [--follow]",
            "  runs list [--state S[,S]] [--model ID] [--dataset ID] [--page N] [--size N]",
            "  runs show RUN_ID | runs cancel RUN_ID [--reason TEXT] | runs delete RUN_ID",
            "                                             (runs take --tenant T; default: LUMEN_TENANT or 'default')",
            "  token [--tenant T] [--ttl 1h]              print a development token (keys under .lumen/keys/)",
            "  bench --e2e [--images N] [--model squares-cnn|nsfwjs|nanodet|selfie] [--method M] [--masks N]",
            "              [--no-metrics] [--batch N] [--worker-alone] [--running]",
            "                                             one run through the whole platform, measured: prints one JSON line",
            "  explain ... | bench ... | fixtures ...      the explainer CLI (./lumen explain --help)");

    private static final Map<String, Integer> DEFAULT_PORTS = Map.of(
            "run-service", 8081, "results-service", 8082, "worker-service", 8083);

    private LumenMain() {
    }

    public static void main(String[] args) {
        try {
            System.exit(run(List.of(args)));
        } catch (CliException e) {
            System.err.println("lumen: " + TerminalText.safeLines(e.getMessage()));
            System.exit(1);
        }
    }

    static int run(List<String> args) {
        if (args.isEmpty() || args.get(0).equals("--help")) {
            System.out.println(USAGE);
            return args.isEmpty() ? 2 : 0;
        }
        Workspace workspace = Workspace.locate(Path.of(""));
        Options options = Options.parse(args.subList(1, args.size()));
        return switch (args.get(0)) {
            case "demo" -> demo(workspace, options);
            case "up" -> up(workspace);
            case "down" -> down(workspace);
            case "runs" -> runs(workspace, options);
            case "token" -> token(workspace, options);
            case "bench" -> {
                if (!options.flag("--e2e")) {
                    throw new CliException("this bench takes --e2e; the explainer's benches run as ./lumen bench --case ...");
                }
                yield new EndToEndBench(workspace, options).run();
            }
            default -> {
                System.err.println("lumen: unknown command '" + args.get(0) + "'\n" + USAGE);
                yield 2;
            }
        };
    }

    private static int demo(Workspace workspace, Options options) {
        DemoModel model = DemoModel.choose(options.flag("--fixture"), options.value("--task", null),
                options.value("--method", null));
        DemoAssets fixture = new DemoAssets(workspace);
        RealDemoAssets real = new RealDemoAssets(workspace);
        Path fixtureDir = model == DemoModel.FIXTURE ? fixture.ensureBuilt() : null;
        if (model != DemoModel.FIXTURE) {
            real.ensureBuilt();
        }
        if (model == DemoModel.ATTRIBUTER) {
            real.requirePortraits();
        }
        System.out.println("Starting Kafka, S3 and the three services (logs in " + workspace.stateDir().resolve("devstack").resolve("logs") + ")...");
        Platform platform = startPlatform(workspace);
        try {
            String dataset;
            if (model == DemoModel.FIXTURE) {
                fixture.upload(fixtureDir, platform.endpoints());
                dataset = DemoAssets.DATASET_ID;
            } else {
                dataset = real.upload(model, platform.endpoints());
            }
            RunClient client = client(platform);
            String method = options.value("--method", model.defaultMethod());
            Map<String, Object> request = new LinkedHashMap<>();
            request.put("name", "demo " + method + " on " + model.modelId());
            request.put("model", model.modelId());
            request.put("dataset", dataset);
            request.put("method", method);
            request.put("imageCount", Integer.parseInt(options.value("--images", String.valueOf(model.defaultImages()))));
            request.put("seed", 42);
            Map<String, Object> parameters = new LinkedHashMap<>(model.parameters());
            if (options.flag("--masks")) {
                parameters.put(MethodCatalogue.MASKS.name(), Integer.parseInt(options.required("--masks")));
            } else if (method.equalsIgnoreCase(MethodCatalogue.DRISE.id())) {
                // Early stopping usually ends well before this; 5,000 (the default) is for final figures.
                parameters.put(MethodCatalogue.MASKS.name(), 1000);
            }
            if (!parameters.isEmpty()) {
                request.put("parameters", parameters);
            }
            JsonNode accepted = client.create(request);
            String runId = accepted.path("runId").asText();
            System.out.println("Run " + runId + " accepted: " + accepted.path("imageCount").asInt() + " images, "
                    + method + " on model " + model.modelId());
            JsonNode run = new RunWatcher(client).follow(runId, new ProgressBar(System.out, System.console() != null),
                    Duration.ofMinutes(30));
            printWhereToLook(platform, run);
            String state = run.path("progress").path("state").asText();
            if (options.flag("--exit")) {
                return state.equals("FAILED") || state.equals("CANCELLED") ? 1 : 0;
            }
            System.out.println("The stack stays up; press Ctrl-C to stop it.");
            awaitInterrupt();
            return 0;
        } finally {
            platform.close();
            clearPlatformFile(workspace);
        }
    }

    private static int up(Workspace workspace) {
        Platform platform = startPlatform(workspace);
        try {
            System.out.println("Kafka:           " + platform.endpoints().kafkaBootstrapServers());
            System.out.println("S3:              " + platform.endpoints().s3Endpoint() + " (bucket " + platform.endpoints().s3Bucket() + ")");
            for (String service : Platform.SERVICES) {
                System.out.printf("%-16s %s%n", service + ":", platform.baseUrl(service));
            }
            System.out.println("Running; press Ctrl-C (or ./lumen down) to stop.");
            awaitInterrupt();
            return 0;
        } finally {
            platform.close();
            clearPlatformFile(workspace);
        }
    }

    private static int down(Workspace workspace) {
        Path file = platformFile(workspace);
        if (!Files.exists(file)) {
            System.out.println("Nothing is running.");
            return 0;
        }
        Map<String, String> values = readPlatformFile(workspace);
        long pid = Long.parseLong(values.getOrDefault("LUMEN_PID", "-1"));
        Instant written = lastModified(platformFile(workspace));
        Optional<ProcessHandle> lumen = ProcessHandle.of(pid).filter(h -> startedBefore(h, written));
        lumen.ifPresent(handle -> {
            handle.destroy();
            handle.onExit().join();
        });
        // What 'up' started, even if 'up' itself was killed outright and could not stop its children.
        int leftovers = 0;
        for (String child : values.getOrDefault("LUMEN_CHILD_PIDS", "").split(",")) {
            if (child.isBlank()) {
                continue;
            }
            Optional<ProcessHandle> process = ProcessHandle.of(Long.parseLong(child.trim()))
                    .filter(h -> startedBefore(h, written));
            if (process.isPresent()) {
                leftovers++;
                stopProcess(process.get());
            }
        }
        System.out.println(lumen.isEmpty() && leftovers == 0 ? "Nothing is running."
                : "Stopped." + (leftovers == 0 ? "" : " (" + leftovers + " process(es) left over from a killed 'up' stopped)"));
        clearPlatformFile(workspace);
        return 0;
    }

    /** SIGTERM, then SIGKILL after 20 s. */
    private static void stopProcess(ProcessHandle process) {
        process.destroy();
        try {
            process.onExit().get(20, java.util.concurrent.TimeUnit.SECONDS);
        } catch (Exception e) {
            process.destroyForcibly();
            process.onExit().join();
        }
    }

    /** A process with a recorded pid is ours only if it started before the record was written (pids recycle). */
    private static boolean startedBefore(ProcessHandle process, Instant written) {
        return process.isAlive() && process.info().startInstant().map(start -> !start.isAfter(written)).orElse(true);
    }

    private static Instant lastModified(Path file) {
        try {
            return Files.getLastModifiedTime(file).toInstant();
        } catch (IOException e) {
            return Instant.now();
        }
    }

    private static int token(Workspace workspace, Options options) {
        String tenant = options.value("--tenant", DevTokens.DEFAULT_TENANT);
        System.out.println(DevTokens.of(workspace).mint(tenant, DevTokens.parseTtl(options.value("--ttl", "1h"))));
        return 0;
    }

    private static int runs(Workspace workspace, Options options) {
        Map<String, String> platform = Files.exists(platformFile(workspace)) ? readPlatformFile(workspace) : Map.of();
        String token = System.getenv("LUMEN_TOKEN");
        String tenant = options.value("--tenant", env("LUMEN_TENANT", DevTokens.DEFAULT_TENANT));
        RunClient client = new RunClient(
                env("LUMEN_RUN_SERVICE_URL", platform.getOrDefault("RUN_SERVICE_URL", "http://127.0.0.1:8081")),
                env("LUMEN_RESULTS_SERVICE_URL", platform.getOrDefault("RESULTS_SERVICE_URL", "http://127.0.0.1:8082")),
                token != null && !token.isBlank() && !options.flag("--tenant") ? () -> token.strip()
                        : RunClient.minted(DevTokens.of(workspace), tenant));
        String sub = options.positional(0);
        switch (sub == null ? "" : sub) {
            case "create" -> {
                Map<String, Object> request = new LinkedHashMap<>();
                request.put("name", options.value("--name", "run"));
                request.put("model", options.required("--model"));
                request.put("dataset", options.required("--dataset"));
                request.put("method", options.required("--method"));
                request.put("imageCount", Integer.parseInt(options.required("--images")));
                if (options.value("--seed", null) != null) {
                    request.put("seed", Long.parseLong(options.value("--seed", null)));
                }
                JsonNode accepted = client.create(request);
                System.out.println(TerminalText.json(accepted));
                if (options.flag("--follow")) {
                    JsonNode run = new RunWatcher(client).follow(accepted.path("runId").asText(),
                            new ProgressBar(System.out, System.console() != null), Duration.ofHours(6));
                    return run.path("progress").path("state").asText().equals("FAILED") ? 1 : 0;
                }
            }
            case "show" -> System.out.println(TerminalText.json(client.showRun(options.requiredPositional(1, "RUN_ID"))));
            case "list" -> {
                Map<String, String> query = new LinkedHashMap<>();
                for (String name : List.of("state", "model", "dataset", "page", "size")) {
                    String value = options.value("--" + name, null);
                    if (value != null) {
                        query.put(name, value);
                    }
                }
                JsonNode page = client.listRuns(query);
                for (JsonNode run : page.path("items")) {
                    com.fasterxml.jackson.databind.node.ObjectNode progress = run.path("counts").deepCopy();
                    progress.put("state", run.path("state").asText());
                    progress.set("imagesPerSecond", run.path("imagesPerSecond"));
                    progress.set("etaSeconds", run.path("etaSeconds").isMissingNode() ? null : run.path("etaSeconds"));
                    System.out.println(ProgressBar.render(progress) + "  " + TerminalText.safe(run.path("runId").asText())
                            + "  " + TerminalText.safe(run.path("name").asText()));
                }
                System.out.printf("page %d of %d (%d runs)%n", page.path("page").asInt() + 1,
                        Math.max(1, page.path("totalPages").asInt()), page.path("total").asInt());
            }
            case "cancel" -> {
                JsonNode run = client.cancel(options.requiredPositional(1, "RUN_ID"), options.value("--reason", null));
                System.out.println("Run " + TerminalText.safe(run.path("runId").asText()) + ": "
                        + TerminalText.safe(run.path("state").asText()));
            }
            case "delete" -> {
                String runId = options.requiredPositional(1, "RUN_ID");
                client.delete(runId);
                System.out.println("Run " + TerminalText.safe(runId) + " deleted with its results.");
            }
            default -> throw new CliException("runs needs create, list, show, cancel or delete\n" + USAGE);
        }
        return 0;
    }

    /** Starts the platform and supervises it: a process that exits is restarted (see {@link Supervisor}). */
    private static Platform startPlatform(Workspace workspace) {
        Platform platform = Platform.start(workspace, workspace.stateDir().resolve("devstack"), DEFAULT_PORTS);
        Runtime.getRuntime().addShutdownHook(new Thread(platform::close, "lumen-stop"));
        writePlatformFile(workspace, platform);
        platform.onProcessesChanged(() -> writePlatformFile(workspace, platform));
        platform.supervise(System.out);
        return platform;
    }

    private static RunClient client(Platform platform) {
        return new RunClient(platform.baseUrl("run-service"), platform.baseUrl("results-service"),
                RunClient.minted(DevTokens.of(platform.workspace()), DevTokens.DEFAULT_TENANT));
    }

    private static void printWhereToLook(Platform platform, JsonNode run) {
        JsonNode progress = run.path("progress");
        String runId = progress.path("runId").asText();
        System.out.printf("Run %s %s: %d explained, %d skipped, %d failed of %d%n", TerminalText.safe(runId),
                TerminalText.safe(progress.path("state").asText()),
                progress.path("explained").asInt(), progress.path("skipped").asInt(), progress.path("failed").asInt(),
                progress.path("total").asInt());
        for (JsonNode image : run.path("images")) {
            JsonNode first = image.path("explanations").path(0);
            System.out.printf("  %-16s %-8s %s%n", TerminalText.safe(image.path("imageId").asText()),
                    TerminalText.safe(image.path("outcome").asText()), TerminalText.safe(first.isMissingNode()
                            ? image.path("reason").asText("")
                            : first.path("target").path("label").asText() + " " + first.path("target").path("score").asText()));
        }
        UiLinks links = new UiLinks(platform.baseUrl("results-service"), platform.token(DevTokens.DEFAULT_TENANT));
        System.out.println("Web UI (the links carry a 12-hour development token; the page keeps it for its tab):");
        System.out.println("  run:           " + links.run(runId));
        System.out.println("  insights:      " + links.insights(runId));
        System.out.println("Results (JSON):  " + platform.baseUrl("results-service") + "/api/runs/" + runId
                + "   (needs Authorization: Bearer $(./lumen token))");
        System.out.println("Stored in S3:    " + platform.endpoints().s3Endpoint() + "/" + platform.endpoints().s3Bucket()
                + "/runs/" + runId + "/images/{imageId}/{saliency,heatmap,overlay}-K.png");
    }

    private static void awaitInterrupt() {
        CountDownLatch never = new CountDownLatch(1);
        try {
            never.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static Path platformFile(Workspace workspace) {
        return workspace.stateDir().resolve("platform.env");
    }

    private static void writePlatformFile(Workspace workspace, Platform platform) {
        String content = "LUMEN_PID=" + ProcessHandle.current().pid() + "\n"
                + "RUN_SERVICE_URL=" + platform.baseUrl("run-service") + "\n"
                + "RESULTS_SERVICE_URL=" + platform.baseUrl("results-service") + "\n"
                + "WORKER_SERVICE_URL=" + platform.baseUrl("worker-service") + "\n"
                + "LUMEN_CHILD_PIDS=" + platform.processes().stream().map(p -> String.valueOf(p.pid()))
                        .collect(java.util.stream.Collectors.joining(",")) + "\n";
        try {
            Files.createDirectories(workspace.stateDir());
            // Temp file, then rename: 'down' never reads half a file, even while a restart rewrites it.
            Path temp = platformFile(workspace).resolveSibling("platform.env.tmp");
            Files.writeString(temp, content);
            Files.move(temp, platformFile(workspace), java.nio.file.StandardCopyOption.REPLACE_EXISTING,
                    java.nio.file.StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            throw new CliException("cannot write " + platformFile(workspace) + ": " + e.getMessage(), e);
        }
    }

    static Map<String, String> readPlatformFile(Workspace workspace) {
        Map<String, String> values = new LinkedHashMap<>();
        try {
            for (String line : Files.readAllLines(platformFile(workspace))) {
                int eq = line.indexOf('=');
                if (eq > 0) {
                    values.put(line.substring(0, eq), line.substring(eq + 1));
                }
            }
        } catch (IOException e) {
            throw new CliException("cannot read " + platformFile(workspace) + ": " + e.getMessage(), e);
        }
        return values;
    }

    private static void clearPlatformFile(Workspace workspace) {
        try {
            Files.deleteIfExists(platformFile(workspace));
        } catch (IOException e) {
            // best effort
        }
    }

    private static String env(String name, String fallback) {
        String value = System.getenv(name);
        return value == null || value.isBlank() ? fallback : value;
    }

    /** Flags ({@code --exit}), options with a value ({@code --images 12}) and positional words. */
    record Options(Map<String, String> values, List<String> positionals) {

        private static final java.util.Set<String> FLAGS = java.util.Set.of("--exit", "--follow", "--fixture", "--e2e",
                "--running", "--no-metrics", "--worker-alone");

        static Options parse(List<String> args) {
            Map<String, String> values = new LinkedHashMap<>();
            List<String> positionals = new ArrayList<>();
            for (int i = 0; i < args.size(); i++) {
                String arg = args.get(i);
                if (FLAGS.contains(arg)) {
                    values.put(arg, "true");
                } else if (arg.startsWith("--")) {
                    if (i + 1 >= args.size()) {
                        throw new CliException(arg + " needs a value");
                    }
                    values.put(arg, args.get(++i));
                } else {
                    positionals.add(arg);
                }
            }
            return new Options(values, positionals);
        }

        boolean flag(String name) {
            return values.containsKey(name);
        }

        String value(String name, String fallback) {
            return values.getOrDefault(name, fallback);
        }

        String required(String name) {
            String value = values.get(name);
            if (value == null) {
                throw new CliException("missing " + name);
            }
            return value;
        }

        String positional(int index) {
            return index < positionals.size() ? positionals.get(index) : null;
        }

        String requiredPositional(int index, String name) {
            String value = positional(index);
            if (value == null) {
                throw new CliException("missing " + name);
            }
            return value;
        }
    }
}
