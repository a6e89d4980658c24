package dev.lumen.explainer;

import dev.lumen.explainer.model.LoadedModel;
import java.nio.file.Path;
import java.util.List;
import java.util.function.BiFunction;
import java.util.function.Function;

/**
 * A fixture as tests use it: built once under {@code target/fixtures/NAME-SEED} (reused by later
 * runs), its model loaded once per test JVM, its held-out images read on demand.
 *
 * @param <I> the fixture's held-out image type
 */
final class FixtureModel<I> {

    private final Path dir;
    private final long seed;
    private final BiFunction<Path, Long, Path> build;
    private final Function<Path, Path> modelDir;
    private final Function<Path, List<I>> heldOut;
    private LoadedModel model;

    FixtureModel(String name, long seed, BiFunction<Path, Long, Path> build, Function<Path, Path> modelDir,
            Function<Path, List<I>> heldOut) {
        this.dir = Path.of("target", "fixtures", name + "-" + seed);
        this.seed = seed;
        this.build = build;
        this.modelDir = modelDir;
        this.heldOut = heldOut;
    }

    /** The fixture directory, built if needed. */
    synchronized Path dir() {
        return build.apply(dir, seed);
    }

    /** The fixture's model, loaded once. */
    synchronized LoadedModel model() {
        if (model == null) {
            model = LoadedModel.load(modelDir.apply(dir()));
        }
        return model;
    }

    /** The held-out images with their ground truth. */
    List<I> heldOut() {
        return heldOut.apply(dir());
    }
}
