package dev.lumen.explainer.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.lumen.explainer.ObjectInputs;
import dev.lumen.fixtures.AttributorFixture;
import dev.lumen.fixtures.DetectorFixture;
import dev.lumen.fixtures.SegmenterFixture;
import dev.lumen.fixtures.SquaresFixture;
import dev.lumen.fixtures.TaggerFixture;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.BiFunction;
import java.util.stream.Stream;

/**
 * {@code fixtures NAME}: builds (or reuses) a fixture model trained in Java and its held-out images:
 * {@code squares} (classifier), {@code detector}, {@code segmenter} (semantic segmentation),
 * {@code instance-segmenter}, {@code tagger} (multi-label), {@code attributor} (attributes of object crops).
 */
final class FixturesCommand {

    static final Set<String> VALUED = Set.of("out", "seed");
    static final Set<String> FLAGS = Set.of("verbose");
    static final String USAGE = "fixtures squares|detector|segmenter|instance-segmenter|tagger|attributor --out DIR [--seed S]";
    /** The seed the demo and the tests use. */
    static final long DEFAULT_SEED = 42;

    /** Every fixture writes its model to {@code model/}, its images to {@code images/} and this record last. */
    private static final Map<String, BiFunction<Path, Long, Path>> FIXTURES = new LinkedHashMap<>();

    static {
        FIXTURES.put("squares", SquaresFixture::build);
        FIXTURES.put("detector", DetectorFixture::build);
        FIXTURES.put("segmenter", SegmenterFixture::build);
        FIXTURES.put("instance-segmenter", DetectorFixture::buildInstanceSegmenter);
        FIXTURES.put("tagger", TaggerFixture::build);
        FIXTURES.put("attributor", (dir, seed) -> AttributorFixture.build(dir, seed, model -> ObjectInputs.of(model)::pixels));
    }

    private final PrintStream out;

    FixturesCommand(PrintStream out) {
        this.out = out;
    }

    int run(CommandLine line) {
        List<String> names = line.positional();
        if (names.size() != 1 || !FIXTURES.containsKey(names.get(0))) {
            throw new UsageException("unknown fixture " + names + "; available: " + String.join(", ", FIXTURES.keySet()));
        }
        String name = names.get(0);
        Path dir = Path.of(line.required("out"));
        Long seed = line.longOption("seed");
        FIXTURES.get(name).apply(dir, seed == null ? DEFAULT_SEED : seed);
        JsonNode record = record(dir);
        out.printf("%s fixture in %s: model %s, %d held-out images in %s (seed %d, trained %d steps in %.1f s)%n",
                name, dir, dir.resolve("model"), heldOutImages(dir.resolve("images")), dir.resolve("images"),
                record.path("seed").asLong(), record.path("trainingSteps").asInt(),
                record.path("trainingSeconds").asDouble());
        return LumenCli.OK;
    }

    private static JsonNode record(Path dir) {
        try {
            return new ObjectMapper().readTree(dir.resolve("fixture.json").toFile());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + dir.resolve("fixture.json"), e);
        }
    }

    /** The images to explain: PNGs other than ground-truth masks. */
    private static long heldOutImages(Path images) {
        try (Stream<Path> files = Files.list(images)) {
            return files.map(p -> p.getFileName().toString())
                    .filter(f -> f.endsWith(".png") && !f.endsWith("-mask.png")).count();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot list " + images, e);
        }
    }
}
