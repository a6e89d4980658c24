package dev.lumen.explainer;

import dev.lumen.fixtures.SquaresFixture;
import dev.lumen.explainer.model.LoadedModel;
import java.nio.file.Path;
import java.util.List;

/**
 * The squares fixture for tests: built once under {@code target/} (about 10 s) and reused by later
 * runs, and loaded once per test JVM.
 */
public final class SquaresModel {

    /** Seed of the fixture the tests use (the CLI's default too). */
    public static final long SEED = 42;
    private static final Path DIR = Path.of("target", "fixtures", "squares-" + SEED);
    private static LoadedModel model;

    private SquaresModel() {
    }

    /** The fixture directory, built if needed. */
    public static synchronized Path dir() {
        return SquaresFixture.build(DIR, SEED);
    }

    /** The fixture's model, loaded once. */
    public static synchronized LoadedModel model() {
        if (model == null) {
            model = LoadedModel.load(SquaresFixture.modelDir(dir()));
        }
        return model;
    }

    /** The fixture's held-out images. */
    public static List<SquaresFixture.LabelledImage> heldOut() {
        return SquaresFixture.groundTruth(dir());
    }
}
