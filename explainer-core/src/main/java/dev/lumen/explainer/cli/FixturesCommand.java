package dev.lumen.explainer.cli;

import com.fasterxml.jackson.databind.JsonNode;
import dev.lumen.explainer.fixtures.SquaresFixture;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;

/** {@code fixtures squares}: builds (or reuses) the squares fixture model and its held-out images. */
final class FixturesCommand {

    static final Set<String> VALUED = Set.of("out", "seed");
    static final Set<String> FLAGS = Set.of("verbose");
    static final String USAGE = "fixtures squares --out DIR [--seed S]";
    /** The seed the demo and the tests use. */
    static final long DEFAULT_SEED = 42;

    private final PrintStream out;

    FixturesCommand(PrintStream out) {
        this.out = out;
    }

    int run(CommandLine line) {
        List<String> names = line.positional();
        if (names.size() != 1 || !names.get(0).equals("squares")) {
            throw new UsageException("unknown fixture " + names + "; available: squares");
        }
        Path dir = Path.of(line.required("out"));
        Long seed = line.longOption("seed");
        SquaresFixture.build(dir, seed == null ? DEFAULT_SEED : seed);
        JsonNode record = SquaresFixture.trainingRecord(dir);
        out.printf("squares fixture in %s: model %s, %d held-out images in %s (seed %d, trained %d steps in %.1f s)%n",
                dir, SquaresFixture.modelDir(dir), record.path("heldOutImages").asInt(), dir.resolve("images"),
                record.path("seed").asLong(), record.path("trainingSteps").asInt(),
                record.path("trainingSeconds").asDouble());
        return LumenCli.OK;
    }
}
