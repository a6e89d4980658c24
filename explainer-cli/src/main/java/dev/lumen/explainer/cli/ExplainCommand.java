package dev.lumen.explainer.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import dev.lumen.catalogue.Method;
import dev.lumen.catalogue.MethodCatalogue;
import dev.lumen.catalogue.Parameter;
import dev.lumen.explainer.ExplainOptions;
import dev.lumen.explainer.ExplainResult;
import dev.lumen.explainer.Explainer;
import dev.lumen.explainer.ImageDecodeException;
import dev.lumen.explainer.Images;
import dev.lumen.explainer.Prediction;
import dev.lumen.explainer.TargetExplanation;
import dev.lumen.explainer.model.LoadedModel;
import dev.lumen.explainer.model.ModelRunException;
import dev.lumen.render.HeatmapRenderer;
import dev.lumen.render.SaliencyPng;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * {@code explain}: explains images with a model and writes, per image, {@code OUT/<stem>/} with
 * {@code explanations.json}, {@code saliency-K.png} (16-bit, original size),
 * {@code overlay-K.png} and, for targets with a predicted region (segments), {@code region-K.png}. A bad image is reported and skipped; a bad model or option stops the run.
 */
final class ExplainCommand {

    /** Every parameter of the catalogue, by its option name ({@code metricSteps}: {@code --metric-steps}). */
    private static final Map<String, Parameter> PARAMETER_OPTIONS = MethodCatalogue.methods().stream()
            .flatMap(m -> m.parameters().stream())
            .collect(Collectors.toMap(p -> optionName(p.name()), p -> p, (a, b) -> a, LinkedHashMap::new));
    static final Set<String> VALUED = Stream.concat(Stream.of("model", "method", "seed", "out", "objects"),
            PARAMETER_OPTIONS.keySet().stream()).collect(Collectors.toUnmodifiableSet());
    static final Set<String> FLAGS = Set.of("no-metrics", "verbose");
    static final String USAGE = "explain --model DIR [--method "
            + MethodCatalogue.methods().stream().map(Method::id).collect(Collectors.joining("|")) + "]"
            + PARAMETER_OPTIONS.entrySet().stream()
                    .map(e -> " [--" + e.getKey() + " " + e.getValue().type().id().toUpperCase(Locale.ROOT) + "]")
                    .collect(Collectors.joining())
            + " [--seed S] [--objects COCO.json] [--no-metrics] [--verbose] --out DIR IMAGE..."
            + "\n       (parameters as in the README's table; a method refuses those it does not take;"
            + "\n       --objects: COCO ground truth whose boxes an attribute model explains one by one)";

    private static final double OVERLAY_ALPHA = 0.5;

    private final PrintStream out;
    private final PrintStream err;
    private final boolean console;
    private final ObjectMapper json = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    ExplainCommand(PrintStream out, PrintStream err, boolean console) {
        this.out = out;
        this.err = err;
        this.console = console;
    }

    int run(CommandLine line) {
        Path modelDir = Path.of(line.required("model"));
        Path outDir = Path.of(line.required("out"));
        List<String> images = line.positional();
        if (images.isEmpty()) {
            throw new UsageException("no images given");
        }
        String method = line.option("method") == null ? MethodCatalogue.GRADCAM.id() : line.option("method");
        if (MethodCatalogue.byId(method).isEmpty()) {
            throw new UsageException("unknown method '" + method + "'; allowed: " + MethodCatalogue.ids());
        }
        ExplainOptions options = new ExplainOptions(method, line.longOption("seed"), parameters(line));
        CocoObjects objects = line.option("objects") == null ? null : CocoObjects.read(Path.of(line.option("objects")));

        try (LoadedModel model = LoadedModel.load(modelDir)) {
            Explainer explainer = new Explainer(model);
            ImageProgressBar progress = new ImageProgressBar(err, console, images.size());
            Set<String> usedNames = new HashSet<>();
            int failed = 0;
            int skipped = 0;
            long start = System.nanoTime();
            for (int i = 0; i < images.size(); i++) {
                String image = images.get(i);
                progress.update(i, image);
                try {
                    ExplainOptions forImage = objects == null ? options : new ExplainOptions(options.method(),
                            options.seed(), options.parameters(), objects.of(Path.of(image)));
                    ExplainResult result = explainOne(explainer, Path.of(image), forImage, outDir, usedNames, modelDir);
                    skipped += result.skippedReason() == null ? 0 : 1;
                } catch (ImageFailure e) {
                    failed++;
                    progress.message("error: " + image + ": " + e.getMessage());
                    if (line.flag("verbose") && e.getCause() != null) {
                        e.getCause().printStackTrace(err);
                    }
                }
                progress.update(i + 1, image);
            }
            progress.finish();
            out.printf("explained %d of %d image(s) with %s (%d skipped, %d failed) in %.1f s; output in %s%n",
                    images.size() - failed, images.size(), method, skipped, failed, (System.nanoTime() - start) / 1e9,
                    outDir);
            return failed == 0 ? LumenCli.OK : LumenCli.SOME_FAILED;
        }
    }

    private static Map<String, Object> parameters(CommandLine line) {
        Map<String, Object> parameters = new HashMap<>();
        PARAMETER_OPTIONS.forEach((option, parameter) -> {
            if (line.option(option) != null) {
                parameters.put(parameter.name(), line.option(option));
            }
        });
        if (line.flag("no-metrics")) {
            parameters.put(MethodCatalogue.METRICS.name(), false);
        }
        return parameters;
    }

    /** {@code metricSteps} as {@code metric-steps}. */
    private static String optionName(String parameter) {
        return parameter.replaceAll("([a-z0-9])([A-Z])", "$1-$2").toLowerCase(Locale.ROOT);
    }


    /** A problem with one image: the run goes on with the next. */
    private static final class ImageFailure extends Exception {
        ImageFailure(String message, Throwable cause) {
            super(message, cause);
        }
    }

    private ExplainResult explainOne(Explainer explainer, Path imagePath, ExplainOptions options, Path outDir,
            Set<String> usedNames, Path modelDir) throws ImageFailure {
        BufferedImage image;
        try {
            image = Images.decode(Files.readAllBytes(imagePath));
        } catch (NoSuchFileException e) {
            throw new ImageFailure("no such file", e);
        } catch (IOException e) {
            throw new ImageFailure("cannot read: " + e.getMessage(), e);
        } catch (ImageDecodeException e) {
            throw new ImageFailure(e.getMessage(), e);
        }
        ExplainResult result;
        try {
            result = explainer.explain(image, options);
        } catch (ModelRunException e) {
            throw new ImageFailure(e.getMessage(), e);
        }
        Path dir = outDir.resolve(uniqueName(stem(imagePath), usedNames));
        try {
            Files.createDirectories(dir);
            List<ExplanationReport.Entry> entries = new ArrayList<>();
            for (int k = 0; k < result.explanations().size(); k++) {
                TargetExplanation explanation = result.explanations().get(k);
                String saliencyFile = "saliency-" + k + ".png";
                String overlayFile = "overlay-" + k + ".png";
                Files.write(dir.resolve(saliencyFile),
                        SaliencyPng.encode16(explanation.saliency().resize(image.getWidth(), image.getHeight())));
                Files.write(dir.resolve(overlayFile),
                        HeatmapRenderer.png(HeatmapRenderer.overlay(image, explanation.saliency(), OVERLAY_ALPHA)));
                String regionFile = null;
                if (explanation.region() != null) {
                    regionFile = "region-" + k + ".png";
                    Files.write(dir.resolve(regionFile),
                            SaliencyPng.encode16(explanation.region().resize(image.getWidth(), image.getHeight())));
                }
                ExplanationReport.Metrics metrics = explanation.deletionAuc() == null ? null
                        : new ExplanationReport.Metrics(explanation.deletionAuc(), explanation.insertionAuc());
                entries.add(new ExplanationReport.Entry(target(explanation.target()), saliencyFile, overlayFile, regionFile,
                        metrics));
            }
            ExplanationReport report = new ExplanationReport(imagePath.toString(), image.getWidth(), image.getHeight(),
                    options.method(), modelDir.toString(), result.targetLayer(),
                    result.predictions().stream().map(ExplainCommand::target).toList(), entries,
                    result.skippedReason(), new ExplanationReport.Timing(result.explainMs(), result.forwardPasses()));
            json.writeValue(dir.resolve("explanations.json").toFile(), report);
        } catch (IOException e) {
            throw new ImageFailure("cannot write results to " + dir + ": " + e.getMessage(), e);
        }
        return result;
    }

    private static ExplanationReport.Target target(Prediction prediction) {
        return new ExplanationReport.Target(prediction.kind(), prediction.label(), prediction.index(), prediction.score(),
                prediction.box(), prediction.group());
    }

    private static String stem(Path image) {
        String name = image.getFileName().toString();
        int dot = name.lastIndexOf('.');
        return dot > 0 ? name.substring(0, dot) : name;
    }

    /** Two images named alike (a/x.png, b/x.png) get x and x-2, so no result overwrites another. */
    private static String uniqueName(String stem, Set<String> used) {
        String name = stem;
        for (int n = 2; !used.add(name); n++) {
            name = stem + "-" + n;
        }
        return name;
    }
}
