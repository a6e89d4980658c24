package dev.lumen.explainer;

import dev.lumen.fixtures.AttributorFixture;
import dev.lumen.explainer.model.LoadedModel;
import java.nio.file.Path;
import java.util.List;

/** The attributor fixture for tests: built once under {@code target/} and loaded once per test JVM. */
public final class AttributorModel {

    /** Seed of the fixture the tests use. */
    public static final long SEED = 42;
    private static final Path DIR = Path.of("target", "fixtures", "attributor-" + SEED);
    private static LoadedModel model;

    private AttributorModel() {
    }

    /** The fixture directory, built if needed. */
    public static synchronized Path dir() {
        return AttributorFixture.build(DIR, SEED, dir -> ObjectInputs.of(dir)::pixels);
    }

    /** The fixture's model, loaded once. */
    public static synchronized LoadedModel model() {
        if (model == null) {
            model = LoadedModel.load(AttributorFixture.modelDir(dir()));
        }
        return model;
    }

    /** The held-out images with their objects. */
    public static List<AttributorFixture.AttributedImage> heldOut() {
        return AttributorFixture.groundTruth(dir());
    }
}
