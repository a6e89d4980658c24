package dev.lumen.explainer;

import dev.lumen.fixtures.TaggerFixture;
import dev.lumen.explainer.model.LoadedModel;
import java.nio.file.Path;
import java.util.List;

/** The tagger fixture for tests: built once under {@code target/} and loaded once per test JVM. */
public final class TaggerModel {

    /** Seed of the fixture the tests use. */
    public static final long SEED = 42;
    private static final Path DIR = Path.of("target", "fixtures", "tagger-" + SEED);
    private static LoadedModel model;

    private TaggerModel() {
    }

    /** The fixture directory, built if needed. */
    public static synchronized Path dir() {
        return TaggerFixture.build(DIR, SEED);
    }

    /** The fixture's model, loaded once. */
    public static synchronized LoadedModel model() {
        if (model == null) {
            model = LoadedModel.load(TaggerFixture.modelDir(dir()));
        }
        return model;
    }

    /** The held-out images with their tags. */
    public static List<TaggerFixture.TaggedImage> heldOut() {
        return TaggerFixture.groundTruth(dir());
    }
}
