package dev.lumen.explainer.cli;

import dev.lumen.explainer.ImageDecodeException;
import dev.lumen.explainer.Images;
import dev.lumen.explainer.ModelCheck;
import dev.lumen.explainer.Prediction;
import dev.lumen.explainer.model.LoadedModel;
import dev.lumen.explainer.model.ModelLoadException;
import dev.lumen.explainer.model.ModelRunException;
import dev.lumen.render.BoxOverlay;
import dev.lumen.render.HeatmapRenderer;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * {@code models check DIR IMAGE...}: loads a model with its {@code lumen-model.json}, runs it on each
 * image and prints what it decodes to (label, score, box in original pixels), writing
 * {@code OUT/<stem>-check.png} with the boxes drawn. The quickest way to see whether a descriptor
 * reads a detector's outputs right before explaining anything; registration runs the same check.
 * Exit 3 when the model cannot be loaded or its outputs contradict the descriptor.
 */
final class CheckCommand {

    static final Set<String> VALUED = Set.of("out");
    static final Set<String> FLAGS = Set.of("verbose");
    static final String USAGE = "models check MODEL_DIR [--out DIR] IMAGE...   (decoded predictions and box PNGs;"
            + " default --out check)";

    private final PrintStream out;

    CheckCommand(PrintStream out) {
        this.out = out;
    }

    int run(CommandLine line) {
        List<String> positional = line.positional();
        if (!positional.isEmpty() && positional.get(0).equals("check")) {
            positional = positional.subList(1, positional.size());
        }
        if (positional.size() < 2) {
            throw new UsageException("models check needs a model directory and at least one image");
        }
        Path modelDir = Path.of(positional.get(0));
        Path outDir = Path.of(line.option("out") == null ? "check" : line.option("out"));
        try (LoadedModel model = LoadedModel.load(modelDir)) {
            out.printf(Locale.ROOT, "%s: task %s, %d labels, input %dx%d %s %s%s%n", modelDir,
                    model.descriptor().task().id(), model.descriptor().labels().size(),
                    model.descriptor().input().width(), model.descriptor().input().height(),
                    model.descriptor().input().layout(), model.descriptor().input().dtype().id(),
                    model.descriptor().decoder() == null ? "" : ", decoder " + model.descriptor().decoder());
            ModelCheck.notes(model).forEach(note -> out.println("note: " + note));
            Files.createDirectories(outDir);
            for (String name : positional.subList(1, positional.size())) {
                check(model, Path.of(name), outDir);
            }
        } catch (ModelRunException e) {
            throw new ModelLoadException("the model's outputs contradict its descriptor: " + e.getMessage(), e);
        } catch (IOException e) {
            throw new IllegalArgumentException("cannot write to " + outDir + ": " + e.getMessage());
        }
        return LumenCli.OK;
    }

    private void check(LoadedModel model, Path imagePath, Path outDir) throws IOException {
        BufferedImage image;
        try {
            image = Images.decode(Files.readAllBytes(imagePath));
        } catch (IOException | ImageDecodeException e) {
            throw new IllegalArgumentException(imagePath + ": cannot read image: " + e.getMessage());
        }
        ModelCheck.Result result = ModelCheck.run(model, image);
        out.printf(Locale.ROOT, "%s (%dx%d): %d prediction%s, forward %.0f ms%s%n", imagePath, image.getWidth(),
                image.getHeight(), result.predictions().size(), result.predictions().size() == 1 ? "" : "s",
                result.forwardMs(), result.skippedReason() == null ? "" : " (" + result.skippedReason() + ")");
        for (Prediction p : result.predictions()) {
            out.printf(Locale.ROOT, "  %-16s %.3f%s%n", p.label(), p.score(), p.box() == null ? ""
                    : String.format(Locale.ROOT, "  box [%.0f, %.0f, %.0f, %.0f] (%s)", p.box()[0], p.box()[1],
                            p.box()[2], p.box()[3], BoxOverlay.colourName(p.index())));
        }
        List<Prediction> boxed = result.predictions().stream().filter(p -> p.box() != null).toList();
        if (!boxed.isEmpty()) {
            String stem = imagePath.getFileName().toString().replaceFirst("\\.[^.]+$", "");
            Path png = outDir.resolve(stem + "-check.png");
            Files.write(png, HeatmapRenderer.png(BoxOverlay.draw(image, boxed.stream().map(Prediction::box).toList(),
                    boxed.stream().map(Prediction::index).toList())));
            out.println("  wrote " + png);
        }
    }
}
