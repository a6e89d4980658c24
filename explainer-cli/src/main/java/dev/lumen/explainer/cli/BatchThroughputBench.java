package dev.lumen.explainer.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.lumen.catalogue.MethodCatalogue;
import dev.lumen.explainer.ExplainOptions;
import dev.lumen.explainer.Explainer;
import dev.lumen.explainer.Images;
import dev.lumen.explainer.model.LoadedModel;
import dev.lumen.explainer.model.ModelInput;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Stream;

/**
 * {@code bench --case batch-throughput --model-dir DIR --images DIR [--batch N]}: the model's own
 * throughput, images per second of batched forward runs of {@code N} images (and of single ones), and
 * Grad-CAM's (metrics off) when {@link Explainer#explainAll} explains {@code N} images at once, all
 * measured alternately in one process on the same images. {@code ./lumen bench --e2e} runs it after
 * its run, so the worker's throughput is set against the model's on the same machine (issue #18).
 */
final class BatchThroughputBench {

    static final String CASE = "batch-throughput";
    /** Rounds timed per measure after warm-up, alternating between the measures. */
    private static final int ROUNDS = 12;
    private static final int WARMUP = 3;

    private final PrintStream out;
    private final ObjectMapper json = new ObjectMapper();

    BatchThroughputBench(PrintStream out) {
        this.out = out;
    }

    void run(Path modelDir, Path imagesDir, int batch) throws IOException {
        List<BufferedImage> images = images(imagesDir, batch);
        try (LoadedModel model = LoadedModel.load(modelDir)) {
            Explainer explainer = new Explainer(model);
            int size = Math.min(batch, model.maxBatch());
            List<BufferedImage> one = images.subList(0, size);
            ExplainOptions options = new ExplainOptions(MethodCatalogue.GRADCAM.id(), null,
                    Map.of(MethodCatalogue.METRICS.name(), false, MethodCatalogue.CONTEXT_TEST.name(), false));
            List<ExplainOptions> perImage = Collections.nCopies(size, options);
            long forwardBatched = 0;
            long forwardSingle = 0;
            long gradcamBatched = 0;
            for (int round = 0; round < WARMUP + ROUNDS; round++) {
                long start = System.nanoTime();
                List<ModelInput> inputs = one.stream().map(model.preprocessor()::prepare).toList();
                model.forward(inputs, null);
                long afterBatched = System.nanoTime();
                for (BufferedImage image : one) {
                    model.forward(List.of(model.preprocessor().prepare(image)), null);
                }
                long afterSingle = System.nanoTime();
                explainer.explainAll(one, perImage);
                long end = System.nanoTime();
                if (round >= WARMUP) {
                    forwardBatched += afterBatched - start;
                    forwardSingle += afterSingle - afterBatched;
                    gradcamBatched += end - afterSingle;
                }
            }
            double timed = (double) ROUNDS * size;
            double forwardRate = timed / (forwardBatched / 1e9);
            double gradcamRate = timed / (gradcamBatched / 1e9);
            out.println(json.createObjectNode().put("case", CASE).put("model", modelDir.getFileName().toString())
                    .put("batch", size).put("rounds", ROUNDS)
                    .put("forwardBatchedImagesPerSecond", round(forwardRate))
                    .put("forwardSingleImagesPerSecond", round(timed / (forwardSingle / 1e9)))
                    .put("gradcamBatchedImagesPerSecond", round(gradcamRate))
                    .put("gradcamToForwardRatio", round(gradcamRate / forwardRate)));
        }
    }

    /** {@code count} decoded images from the folder's PNG and JPEG files in name order, repeated as needed. */
    private static List<BufferedImage> images(Path dir, int count) throws IOException {
        List<Path> files;
        try (Stream<Path> listed = Files.list(dir)) {
            files = listed.filter(f -> f.getFileName().toString().toLowerCase(Locale.ROOT).matches(".*\\.(png|jpe?g)"))
                    .sorted().toList();
        }
        if (files.isEmpty()) {
            throw new UsageException("no PNG or JPEG images in " + dir);
        }
        List<BufferedImage> images = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            images.add(Images.decode(Files.readAllBytes(files.get(i % files.size()))));
        }
        return images;
    }

    private static double round(double value) {
        return Math.round(value * 100) / 100.0;
    }
}
