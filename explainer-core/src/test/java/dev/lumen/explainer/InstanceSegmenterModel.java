package dev.lumen.explainer;

import dev.lumen.explainer.fixtures.DetectorFixture;
import dev.lumen.explainer.model.LoadedModel;
import java.nio.file.Path;
import java.util.List;

/**
 * The instance-segmenter fixture (the detector with a mask head) for tests: built once under
 * {@code target/} and loaded once per test JVM.
 */
public final class InstanceSegmenterModel {

    /** Seed of the fixture the tests use. */
    public static final long SEED = 42;
    private static final Path DIR = Path.of("target", "fixtures", "instance-segmenter-" + SEED);
    private static LoadedModel model;

    private InstanceSegmenterModel() {
    }

    /** The fixture directory, built if needed. */
    public static synchronized Path dir() {
        return DetectorFixture.buildInstanceSegmenter(DIR, SEED);
    }

    /** The fixture's model, loaded once. */
    public static synchronized LoadedModel model() {
        if (model == null) {
            model = LoadedModel.load(DetectorFixture.modelDir(dir()));
        }
        return model;
    }

    /** The held-out two-object images. */
    public static List<DetectorFixture.LabelledImage> heldOut() {
        return DetectorFixture.groundTruth(dir());
    }
}
