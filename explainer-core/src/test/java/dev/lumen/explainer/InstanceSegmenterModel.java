package dev.lumen.explainer;

import dev.lumen.fixtures.DetectorFixture;
import dev.lumen.explainer.model.LoadedModel;
import java.util.List;

/** The instance-segmenter fixture (the detector with a mask head) for tests. */
public final class InstanceSegmenterModel {

    /** Seed of the fixture the tests use. */
    public static final long SEED = 42;
    private static final FixtureModel<DetectorFixture.LabelledImage> FIXTURE = new FixtureModel<>("instance-segmenter",
            SEED, DetectorFixture::buildInstanceSegmenter, DetectorFixture::modelDir, DetectorFixture::groundTruth);

    private InstanceSegmenterModel() {
    }

    /** The fixture directory, built if needed. */
    public static java.nio.file.Path dir() {
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
