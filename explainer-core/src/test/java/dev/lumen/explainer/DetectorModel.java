package dev.lumen.explainer;

import dev.lumen.fixtures.DetectorFixture;
import dev.lumen.explainer.model.LoadedModel;
import java.nio.file.Path;
import java.util.List;

/** The detector fixture for tests: built once under {@code target/} and loaded once per test JVM. */
public final class DetectorModel {

    /** Seed of the fixture the tests use. */
    public static final long SEED = 42;
    private static final FixtureModel<DetectorFixture.LabelledImage> FIXTURE = new FixtureModel<>("detector", SEED,
            DetectorFixture::build, DetectorFixture::modelDir, DetectorFixture::groundTruth);

    private DetectorModel() {
    }

    /** The fixture directory, built if needed. */
    public static Path dir() {
        return FIXTURE.dir();
    }

    /** The fixture's model, loaded once. */
    public static LoadedModel model() {
        return FIXTURE.model();
    }

    /** The held-out two-object images. */
    public static List<DetectorFixture.LabelledImage> heldOut() {
        return FIXTURE.heldOut();
    }
}
