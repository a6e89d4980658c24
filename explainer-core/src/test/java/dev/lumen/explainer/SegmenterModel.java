package dev.lumen.explainer;

import dev.lumen.fixtures.SegmenterFixture;
import dev.lumen.explainer.model.LoadedModel;
import java.nio.file.Path;
import java.util.List;

/** The segmenter fixture for tests. */
public final class SegmenterModel {

    /** Seed of the fixture the tests use. */
    public static final long SEED = 42;
    private static final FixtureModel<SegmenterFixture.LabelledImage> FIXTURE = new FixtureModel<>("segmenter", SEED,
            SegmenterFixture::build, SegmenterFixture::modelDir, SegmenterFixture::groundTruth);

    private SegmenterModel() {
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
    public static List<SegmenterFixture.LabelledImage> heldOut() {
        return FIXTURE.heldOut();
    }
}
