package dev.lumen.explainer.cli;

import com.fasterxml.jackson.databind.JsonNode;
import dev.lumen.explainer.fixtures.AttributorFixture;
import dev.lumen.explainer.fixtures.SquaresFixture;
import dev.lumen.explainer.fixtures.TaggerFixture;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;

/**
 * {@code fixtures squares|tagger|attributor}: builds (or reuses) a fixture model trained in Java and
 * its held-out images with their ground truth.
 */
final class FixturesCommand {

    static final Set<String> VALUED = Set.of("out", "seed");
    static final Set<String> FLAGS = Set.of("verbose");
    static final String USAGE = "fixtures squares|tagger|attributor --out DIR [--seed S]";
    /** The seed the demo and the tests use. */
    static final long DEFAULT_SEED = 42;

    private final PrintStream out;

    FixturesCommand(PrintStream out) {
        this.out = out;
    }

    int run(CommandLine line) {
        List<String> names = line.positional();
        String name = names.size() == 1 ? names.get(0) : "";
        if (!List.of("squares", "tagger", "attributor").contains(name)) {
            throw new UsageException("unknown fixture " + names + "; available: squares, tagger, attributor");
        }
        Path dir = Path.of(line.required("out"));
        Long seed = line.longOption("seed");
        long chosen = seed == null ? DEFAULT_SEED : seed;
        JsonNode record = switch (name) {
            case "tagger" -> TaggerFixture.trainingRecord(TaggerFixture.build(dir, chosen));
            case "attributor" -> AttributorFixture.trainingRecord(AttributorFixture.build(dir, chosen));
            default -> SquaresFixture.trainingRecord(SquaresFixture.build(dir, chosen));
        };
        out.printf("%s fixture in %s: model %s, %d held-out images in %s (seed %d, trained %d steps in %.1f s)%n",
                name, dir, dir.resolve("model"), record.path("heldOutImages").asInt(), dir.resolve("images"),
                record.path("seed").asLong(), record.path("trainingSteps").asInt(),
                record.path("trainingSeconds").asDouble());
        return LumenCli.OK;
    }
}
