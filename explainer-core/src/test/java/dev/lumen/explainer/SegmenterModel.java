package dev.lumen.explainer;

import dev.lumen.explainer.fixtures.SegmenterFixture;
import dev.lumen.explainer.model.LoadedModel;
import java.nio.file.Path;
import java.util.List;

/** The segmenter fixture for tests: built once under {@code target/} and loaded once per test JVM. */
public final class SegmenterModel {

    /** Seed of the fixture the tests use. */
    public static final long SEED = 42;
    private static final Path DIR = Path.of("target", "fixtures", "segmenter-" + SEED);
    private static LoadedModel model;

    private SegmenterModel() {
    }

    /** The fixture directory, built if needed. */
    public static synchronized Path dir() {
        return SegmenterFixture.build(DIR, SEED);
    }

    /** The fixture's model, loaded once. */
    public static synchronized LoadedModel model() {
        if (model == null) {
            model = LoadedModel.load(SegmenterFixture.modelDir(dir()));
        }
        return model;
    }

    /** The held-out two-object images. */
    public static List<SegmenterFixture.LabelledImage> heldOut() {
        return SegmenterFixture.groundTruth(dir());
    }
}
