package dev.lumen.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.lumen.catalogue.MethodCatalogue;
import dev.lumen.devstack.EnvFile;
import dev.lumen.devstack.TestStack;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.OptionalDouble;
import java.util.stream.Stream;

/**
 * {@code ./lumen bench --e2e}: one run through the whole platform, measured from outside. It starts
 * the local stack on free ports (or uses the one {@code ./lumen up} runs, with {@code --running}),
 * uploads a dataset of the model's demo images repeated to {@code --images}, runs it and prints one
 * JSON line: wall time, the workers' summed explain time and their ratio, images/s end to end and per
 * worker-second, results-service's stored images per second of the time it was storing (a lower bound
 * of its capacity: it stores several at a time, and when it keeps up it is often storing one), the time from a
 * result's publication to its maps being readable (median and p95, results-service's
 * {@code lumen_results_readable_seconds}), peak RSS and heap in use (after warm-up and at the end) of
 * every service.
 *
 * <p>Heap in use is sampled once a second from each service's {@code jvm_memory_used_bytes}; the
 * figure for a phase is the smallest sample in it (what survives collections), so growth between
 * "after warm-up" (10-30% of the images) and "at the end" (the last 20%) is what the run retained.
 */
final class EndToEndBench {

    private static final Duration SAMPLE_EVERY = Duration.ofSeconds(1);
    private static final Duration ACCEPT_TIMEOUT = Duration.ofMinutes(2);
    private static final int PAGE = 200;

    private final Workspace workspace;
    private final LumenMain.Options options;
    private final ObjectMapper mapper = new ObjectMapper();

    EndToEndBench(Workspace workspace, LumenMain.Options options) {
        this.workspace = workspace;
        this.options = options;
    }

    int run() {
        DemoModel model = DemoModel.byId(options.value("--model", DemoAssets.MODEL_ID));
        int images = Integer.parseInt(options.value("--images", "200"));
        String method = options.value("--method", model.defaultMethod());
        Path source = imagesOf(model);
        Map<String, String> environment = options.flag("--batch")
                ? Map.of("LUMEN_WORKER_BATCH_SIZE", options.required("--batch")) : Map.of();
        Platform platform = options.flag("--running") ? null
                : Platform.start(workspace, workspace.stateDir().resolve("bench-e2e"), Map.of(), 1, environment);
        try {
            Endpoints endpoints = platform != null ? Endpoints.of(platform) : Endpoints.running(workspace);
            AssetSeeder seeder = new AssetSeeder(workspace, endpoints.stack());
            seeder.seedModel(model.modelId(), modelDir(model));
            String dataset = "bench-" + model.modelId() + "-" + images;
            System.err.println("bench --e2e: uploading " + images + " images as dataset " + dataset + "...");
            seeder.seedDataset(dataset, repeated(source, images, dataset));
            return measure(endpoints, model, dataset, images, method);
        } finally {
            if (platform != null) {
                platform.close();
            }
        }
    }

    private int measure(Endpoints endpoints, DemoModel model, String dataset, int images, String method) {
        RunClient client = endpoints.client();
        List<ServiceProbe> probes = endpoints.probes();
        ServiceProbe results = probes.stream().filter(p -> p.name().equals("results-service")).findFirst().orElseThrow();
        ServiceProbe worker = probes.stream().filter(p -> p.name().equals(Platform.WORKER)).findFirst().orElseThrow();
        String before = results.metrics();
        String workerBefore = worker.metrics();
        Map<String, Object> request = new LinkedHashMap<>();
        request.put("name", "bench e2e " + method + " on " + model.modelId() + " x" + images);
        request.put("model", model.modelId());
        request.put("dataset", dataset);
        request.put("method", method);
        request.put("imageCount", images);
        request.put("seed", 1);
        Map<String, Object> parameters = new LinkedHashMap<>();
        if (options.flag("--masks")) {
            parameters.put(MethodCatalogue.MASKS.name(), Integer.parseInt(options.required("--masks")));
        }
        if (options.flag("--no-metrics")) {
            // The method alone: no deletion/insertion nor context test (their forward passes come on top).
            parameters.put(MethodCatalogue.METRICS.name(), false);
            parameters.put(MethodCatalogue.CONTEXT_TEST.name(), false);
        }
        if (!parameters.isEmpty()) {
            request.put("parameters", parameters);
        }
        long started = System.nanoTime();
        String runId = client.create(request).path("runId").asText();
        System.err.println("bench --e2e: run " + runId + " (" + images + " images, " + method + " on " + model.modelId() + ")");
        if (options.flag("--worker-alone")) {
            workerAlone(results, worker, ServiceProbe.sum(workerBefore, "lumen_worker_images_total").orElse(0), images,
                    started);
        }
        Map<String, List<double[]>> heap = new LinkedHashMap<>();
        probes.forEach(p -> heap.put(p.name(), new ArrayList<>()));
        JsonNode progress;
        long answered = System.nanoTime();
        while (true) {
            try {
                progress = client.progress(runId);
                answered = System.nanoTime();
            } catch (CliException e) {
                // results-service learns of the run from run.requested, a moment after run-service accepted
                // it, and may be slow to answer while it works through a backlog (after --worker-alone)
                if (System.nanoTime() - answered > ACCEPT_TIMEOUT.toNanos()) {
                    throw e;
                }
                sleep(SAMPLE_EVERY);
                continue;
            }
            int done = progress.path("explained").asInt() + progress.path("skipped").asInt() + progress.path("failed").asInt();
            double fraction = done / (double) images;
            for (ServiceProbe probe : probes) {
                probe.heapUsed().ifPresent(bytes -> heap.get(probe.name()).add(new double[] {fraction, bytes}));
            }
            String state = progress.path("state").asText();
            if (state.equals("COMPLETED") || state.equals("FAILED") || state.equals("CANCELLED")) {
                break;
            }
            sleep(SAMPLE_EVERY);
        }
        double wallSeconds = (System.nanoTime() - started) / 1e9;
        String after = results.metrics();
        String workerAfter = worker.metrics();

        double explainMs = 0;
        long forwardPasses = 0;
        for (int page = 0; ; page++) {
            JsonNode body = client.results(runId, page, PAGE);
            for (JsonNode item : body.path("items")) {
                explainMs += item.path("timing").path("explainMs").asDouble();
                forwardPasses += item.path("timing").path("forwardPasses").asLong();
            }
            if (page + 1 >= body.path("totalPages").asInt()) {
                break;
            }
        }
        double workerSeconds = explainMs / 1000;
        double storeCount = delta(before, after, "lumen_results_store_seconds_count");
        double storeSeconds = delta(before, after, "lumen_results_store_seconds_sum");
        double busySeconds = delta(before, after, "lumen_results_store_busy_seconds_total");

        ObjectNode line = mapper.createObjectNode();
        line.put("bench", "e2e");
        line.put("model", model.modelId());
        line.put("method", method);
        line.put("images", images);
        line.put("state", progress.path("state").asText());
        line.put("explained", progress.path("explained").asInt());
        line.put("runWallSeconds", round(wallSeconds, 2));
        line.put("workerExplainSeconds", round(workerSeconds, 2));
        line.put("explainToWallRatio", round(workerSeconds / wallSeconds, 3));
        line.put("imagesPerSecond", round(images / wallSeconds, 2));
        line.put("workerImagesPerSecond", round(images / workerSeconds, 2));
        line.put("forwardPasses", forwardPasses);
        // Per second during which results-service was storing: a lower bound of what it can store.
        double stored = busySeconds > 0 ? storeCount / busySeconds : Double.NaN;
        line.put("storedImagesPerSecond", round(stored, 2));
        line.put("storedToWorkerRatio", round(stored / (images / workerSeconds), 2));
        line.put("storeMsPerImage", round(storeSeconds * 1000 / storeCount, 1));
        line.put("renderMsPerImage", round(delta(before, after, "lumen_results_render_seconds_sum") * 1000
                / delta(before, after, "lumen_results_render_seconds_count"), 1));
        // The worker's own throughput: images per second it spent handling polls (fetch, decode, explain,
        // publish), against the model's batched forward runs measured right after, on the same machine.
        double workerBusy = delta(workerBefore, workerAfter, "lumen_worker_busy_seconds_total");
        double polls = delta(workerBefore, workerAfter, "lumen_worker_batch_images_count");
        line.put("workerBusySeconds", round(workerBusy, 2));
        line.put("workerImagesPerBusySecond", round(images / workerBusy, 2));
        line.put("tasksPerPoll", round(delta(workerBefore, workerAfter, "lumen_worker_batch_images_sum") / polls, 2));
        if (options.flag("--no-metrics") && method.equals(MethodCatalogue.GRADCAM.id())) {
            JsonNode throughput = modelThroughput(model, imagesOf(model));
            line.set("modelThroughput", throughput);
            line.put("workerToBatchedForwardRatio",
                    round(images / workerBusy / throughput.path("forwardBatchedImagesPerSecond").asDouble(), 3));
        }
        ObjectNode readable = line.putObject("resultToReadableMs");
        quantile(after, "0.5").ifPresent(v -> readable.put("median", round(v * 1000, 1)));
        quantile(after, "0.95").ifPresent(v -> readable.put("p95", round(v * 1000, 1)));
        ObjectNode rss = line.putObject("peakRssMb");
        ObjectNode heapNode = line.putObject("heapUsedMb");
        for (ServiceProbe probe : probes) {
            probe.peakRss().ifPresent(bytes -> rss.put(probe.name(), Math.round(bytes / 1048576.0)));
            List<double[]> samples = heap.get(probe.name());
            ObjectNode phases = heapNode.putObject(probe.name());
            smallest(samples, 0.1, 0.3).ifPresent(v -> phases.put("afterWarmup", Math.round(v / 1048576)));
            smallest(samples, 0.8, 1.01).ifPresent(v -> phases.put("atEnd", Math.round(v / 1048576)));
            samples.stream().mapToDouble(s -> s[1]).max().ifPresent(v -> phases.put("max", Math.round(v / 1048576)));
            phases.put("samples", samples.size());
        }
        System.out.println(line);
        return progress.path("state").asText().equals("COMPLETED") ? 0 : 1;
    }

    /**
     * Pauses results-service until the worker has published every image's result, so the worker has the
     * machine's CPUs to itself (as a worker pod has its own): its images per busy second are then its
     * own throughput, not what is left beside results-service and the S3 server. The results wait on the
     * broker and are stored once results-service resumes.
     */
    private void workerAlone(ServiceProbe results, ServiceProbe worker, double imagesBefore, int images, long started) {
        while (ServiceProbe.sum(worker.metrics(), "lumen_worker_images_total").orElse(0) <= imagesBefore) {
            if (System.nanoTime() - started > ACCEPT_TIMEOUT.toNanos()) {
                throw new CliException("--worker-alone: the worker took no task within " + ACCEPT_TIMEOUT);
            }
            sleep(Duration.ofMillis(200));
        }
        results.signal("STOP");
        try {
            while (ServiceProbe.sum(worker.metrics(), "lumen_worker_images_total").orElse(0) < imagesBefore + images) {
                sleep(SAMPLE_EVERY);
            }
        } finally {
            results.signal("CONT");
        }
    }

    /**
     * The model's own batched forward and Grad-CAM throughput on the run's images, from the explainer
     * CLI's {@code batch-throughput} bench at a batch of 8, or the worker's when larger (the stack is idle
     * by then).
     */
    private JsonNode modelThroughput(DemoModel model, Path images) {
        // The model's own batched throughput: at least a batch of 8, whatever batch the worker takes.
        String batch = String.valueOf(Math.max(8, Integer.parseInt(options.value("--batch", "8"))));
        List<String> command = List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-Xmx2g",
                "-jar", workspace.explainerJar().toString(), "bench", "--case", "batch-throughput",
                "--model-dir", modelDir(model).toString(), "--images", images.toString(), "--batch", batch);
        try {
            Process process = new ProcessBuilder(command).redirectError(ProcessBuilder.Redirect.INHERIT).start();
            String output = new String(process.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
            if (process.waitFor() != 0) {
                throw new CliException("the batch-throughput bench failed: " + String.join(" ", command));
            }
            String last = output.lines().filter(l -> l.startsWith("{")).reduce((a, b) -> b)
                    .orElseThrow(() -> new CliException("the batch-throughput bench printed no JSON line"));
            return mapper.readTree(last);
        } catch (IOException e) {
            throw new CliException("cannot run the batch-throughput bench: " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new CliException("interrupted while measuring the model's throughput", e);
        }
    }

    private static OptionalDouble smallest(List<double[]> samples, double from, double to) {
        return samples.stream().filter(s -> s[0] >= from && s[0] < to).mapToDouble(s -> s[1]).min();
    }

    private static double delta(String before, String after, String metric) {
        return ServiceProbe.sum(after, metric).orElse(0) - ServiceProbe.sum(before, metric).orElse(0);
    }

    private static OptionalDouble quantile(String exposition, String quantile) {
        return ServiceProbe.sum(exposition, "lumen_results_readable_seconds", "quantile=\"" + quantile + "\"");
    }

    private static double round(double value, int digits) {
        if (!Double.isFinite(value)) {
            return value;
        }
        double scale = Math.pow(10, digits);
        return Math.round(value * scale) / scale;
    }

    /** The model's demo images: the fixture's validation set, or the demo photos for a real model. */
    private Path imagesOf(DemoModel model) {
        if (model == DemoModel.FIXTURE) {
            return new DemoAssets(workspace).ensureBuilt().resolve("images");
        }
        return new RealDemoAssets(workspace).ensureBuilt().resolve("photos");
    }

    private Path modelDir(DemoModel model) {
        if (model == DemoModel.FIXTURE) {
            return new DemoAssets(workspace).ensureBuilt().resolve("model");
        }
        return new RealDemoAssets(workspace).ensureBuilt().resolve("models").resolve(model.modelId());
    }

    /** A folder of {@code count} images: {@code source}'s images in name order, repeated, hard-linked where possible. */
    private Path repeated(Path source, int count, String dataset) {
        Path folder = workspace.stateDir().resolve("bench-e2e").resolve("datasets").resolve(dataset);
        try {
            List<Path> originals;
            try (Stream<Path> files = Files.list(source)) {
                originals = files.filter(f -> f.getFileName().toString().toLowerCase(Locale.ROOT).matches(".*\\.(png|jpe?g)"))
                        .sorted().toList();
            }
            if (originals.isEmpty()) {
                throw new CliException("no PNG or JPEG images in " + source);
            }
            Files.createDirectories(folder);
            for (int i = 0; i < count; i++) {
                Path original = originals.get(i % originals.size());
                Path copy = folder.resolve(String.format(Locale.ROOT, "%05d-%s", i, original.getFileName()));
                if (Files.exists(copy)) {
                    continue;
                }
                try {
                    Files.createLink(copy, original);
                } catch (IOException | UnsupportedOperationException e) {
                    Files.copy(original, copy);
                }
            }
            return folder;
        } catch (IOException e) {
            throw new CliException("cannot prepare the benchmark's images in " + folder + ": " + e.getMessage(), e);
        }
    }

    /** Where the services answer: a stack this bench started, or the one {@code ./lumen up} runs. */
    private record Endpoints(TestStack.Endpoints stack, RunClient client, List<ServiceProbe> probes) {

        static Endpoints of(Platform platform) {
            List<ServiceProbe> probes = new ArrayList<>();
            for (String service : Platform.SERVICES) {
                probes.add(new ServiceProbe(service, platform.baseUrl(service), platform.service(service).pid()));
            }
            return new Endpoints(platform.endpoints(), new RunClient(platform.baseUrl("run-service"),
                    platform.baseUrl("results-service"), RunClient.minted(DevTokens.of(platform.workspace()),
                    DevTokens.DEFAULT_TENANT)), probes);
        }

        static Endpoints running(Workspace workspace) {
            Map<String, String> values = LumenMain.readPlatformFile(workspace);
            List<Long> pids = new ArrayList<>();
            for (String pid : values.getOrDefault("LUMEN_CHILD_PIDS", "").split(",")) {
                if (!pid.isBlank()) {
                    pids.add(Long.parseLong(pid.trim()));
                }
            }
            List<ServiceProbe> probes = new ArrayList<>();
            for (String service : Platform.SERVICES) {
                String key = service.toUpperCase(Locale.ROOT).replace('-', '_') + "_URL";
                probes.add(new ServiceProbe(service, values.get(key), ServiceProbe.findPid(service, pids)));
            }
            Path envFile = workspace.stateDir().resolve("devstack").resolve("devstack.env");
            TestStack.Endpoints stack;
            try {
                stack = EnvFile.toEndpoints(EnvFile.read(envFile));
            } catch (IOException e) {
                throw new CliException("--running: no stack from './lumen up' answers here (" + envFile + ": "
                        + e.getMessage() + ")", e);
            }
            return new Endpoints(stack, new RunClient(values.get("RUN_SERVICE_URL"), values.get("RESULTS_SERVICE_URL"),
                    RunClient.minted(DevTokens.of(workspace), DevTokens.DEFAULT_TENANT)), probes);
        }
    }

    private static void sleep(Duration duration) {
        try {
            Thread.sleep(duration.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new CliException("interrupted");
        }
    }
}
