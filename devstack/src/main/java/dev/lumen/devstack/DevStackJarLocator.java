package dev.lumen.devstack;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.CodeSource;
import java.util.Comparator;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * Finds the packaged launcher jar ({@code devstack/target/lumen-devstack-*.jar}, next to the
 * {@code lib/} folder its manifest class path names). The copy in the local Maven repository has
 * no {@code lib/} beside it and cannot run, so the search looks at build output only.
 */
final class DevStackJarLocator {

    /** System property or environment variable that names the jar explicitly. */
    static final String OVERRIDE = "LUMEN_DEVSTACK_JAR";
    private static final String JAR_PREFIX = "lumen-devstack-";

    private DevStackJarLocator() {
    }

    static Path locate() {
        return explicitJar()
                .or(DevStackJarLocator::jarNearOwnClasses)
                .or(() -> jarAboveWorkingDir(Path.of(System.getProperty("user.dir"))))
                .orElseThrow(() -> new IllegalStateException("Cannot find the devstack launcher jar "
                        + "(devstack/target/lumen-devstack-*.jar with lib/ beside it) above "
                        + System.getProperty("user.dir") + ". Build it with "
                        + "'./mvnw -pl devstack -am install', set " + OVERRIDE
                        + ", or start a devstack and export KAFKA_BOOTSTRAP_SERVERS and S3_ENDPOINT."));
    }

    private static Optional<Path> explicitJar() {
        String named = System.getProperty(OVERRIDE, System.getProperty("lumen.devstack.jar", System.getenv(OVERRIDE)));
        if (named == null || named.isBlank()) {
            return Optional.empty();
        }
        Path jar = Path.of(named).toAbsolutePath();
        if (!Files.isRegularFile(jar)) {
            throw new IllegalStateException(OVERRIDE + " names " + jar + ", which is not a file");
        }
        return Optional.of(jar);
    }

    /** When this class itself comes from {@code devstack/target} (a reactor build), use that build. */
    private static Optional<Path> jarNearOwnClasses() {
        CodeSource source = DevStackJarLocator.class.getProtectionDomain().getCodeSource();
        if (source == null || source.getLocation() == null) {
            return Optional.empty();
        }
        try {
            Path location = Path.of(source.getLocation().toURI());
            // target/classes (reactor build before packaging) and target/*.jar share target/ as parent.
            Path target = location.getParent();
            return target == null ? Optional.empty() : runnableJarIn(target);
        } catch (URISyntaxException | IllegalArgumentException e) {
            return Optional.empty();
        }
    }

    static Optional<Path> jarAboveWorkingDir(Path start) {
        for (Path dir = start.toAbsolutePath(); dir != null; dir = dir.getParent()) {
            Optional<Path> jar = runnableJarIn(dir.resolve("devstack").resolve("target"));
            if (jar.isPresent()) {
                return jar;
            }
        }
        return Optional.empty();
    }

    private static Optional<Path> runnableJarIn(Path target) {
        if (!Files.isDirectory(target.resolve("lib"))) {
            return Optional.empty();
        }
        try (Stream<Path> files = Files.list(target)) {
            return files.filter(DevStackJarLocator::isLauncherJar)
                    .max(Comparator.comparing(DevStackJarLocator::lastModified));
        } catch (IOException e) {
            return Optional.empty();
        }
    }

    private static boolean isLauncherJar(Path file) {
        String name = file.getFileName().toString();
        return name.startsWith(JAR_PREFIX) && name.endsWith(".jar") && !name.endsWith("-sources.jar")
                && !name.endsWith("-javadoc.jar") && !name.endsWith("-tests.jar") && Files.isRegularFile(file);
    }

    private static long lastModified(Path file) {
        try {
            return Files.getLastModifiedTime(file).toMillis();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
