package dev.lumen.e2e;

import dev.lumen.explainer.fixtures.SquaresFixture;

import java.nio.file.Path;

/**
 * Builds the demo model and its held-out images ({@link SquaresFixture}) in a child JVM started by
 * {@link PlatformFixture} when the explainer jar has no command line to do it: the test JVM does not
 * carry TensorFlow, the explainer jar's {@code lib/} does.
 */
public final class BuildSquaresFixture {

    /** The seed the demo uses ({@code lumen-explainer fixtures squares} without {@code --seed}). */
    static final long SEED = 42;

    private BuildSquaresFixture() {
    }

    /** {@code args[0]}: the output folder. */
    public static void main(String[] args) {
        SquaresFixture.build(Path.of(args[0]), SEED);
    }
}
