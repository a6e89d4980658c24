package dev.lumen.worker;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.jar.JarEntry;
import java.util.jar.JarFile;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The worker's runtime holds the explainer and none of its tooling: no fixture (model training
 * code) and no explainer CLI or bench. The classpath checked is the worker's Maven runtime
 * classpath, which is what Quarkus packages into {@code quarkus-app/lib}; the dependency plugin
 * writes it before the tests run (see {@code pom.xml}). A plain test, no Quarkus: it only opens jars.
 */
class RuntimeClasspathTest {

    /** Packages that are tooling, not explainer: the fixtures (also under their old name) and the explainer CLI. */
    private static final List<String> TOOLING = List.of("dev/lumen/fixtures/", "dev/lumen/explainer/fixtures/",
            "dev/lumen/explainer/cli/");

    @Test
    void noRuntimeJarHoldsFixtureCliOrBenchClasses() {
        Map<String, List<String>> offending = new LinkedHashMap<>();
        for (Path entry : runtimeClasspath()) {
            List<String> tooling = entries(entry).stream().filter(RuntimeClasspathTest::isTooling).limit(5).toList();
            if (!tooling.isEmpty()) {
                offending.put(entry.toString(), tooling);
            }
        }
        assertThat(offending).as("runtime classpath entries holding fixture, CLI or bench classes").isEmpty();
    }

    @Test
    void theExplainerCoreJarListsNoFixtureCliOrBenchEntry() {
        Path core = runtimeClasspath().stream().filter(RuntimeClasspathTest::isExplainerCore).findFirst()
                .orElseThrow(() -> new AssertionError("lumen-explainer-core is not on the worker's runtime classpath"));
        List<String> entries = entries(core);
        assertThat(entries).as("entries of %s", core).contains("dev/lumen/explainer/Explainer.class")
                .noneMatch(e -> e.contains("fixtures") || e.contains("/cli/") || e.contains("Bench"));
    }

    private static boolean isTooling(String entry) {
        if (TOOLING.stream().anyMatch(entry::startsWith)) {
            return true;
        }
        String name = entry.substring(entry.lastIndexOf('/') + 1);
        return entry.startsWith("dev/lumen/") && name.startsWith("Bench");
    }

    /** The explainer core as the reactor or the local repository gives it: its jar, or its classes before packaging. */
    private static boolean isExplainerCore(Path entry) {
        String name = entry.getFileName().toString();
        return name.startsWith("lumen-explainer-core-") && name.endsWith(".jar")
                || entry.endsWith(Path.of("explainer-core", "target", "classes"));
    }

    private static List<Path> runtimeClasspath() {
        String file = System.getProperty("lumen.runtime-classpath");
        assertThat(file).as("system property lumen.runtime-classpath (set by the pom)").isNotBlank();
        try {
            String classpath = Files.readString(Path.of(file)).strip();
            List<Path> entries = Arrays.stream(classpath.split(File.pathSeparator)).map(Path::of).toList();
            assertThat(entries).as("runtime classpath in %s", file).isNotEmpty().allMatch(Files::exists);
            return entries;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the runtime classpath " + file, e);
        }
    }

    /**
     * The files of a jar, or of a classes directory (relative, '/' separators). Folders do not
     * count: an incremental build keeps the moved packages' empty folders in {@code target/classes}.
     */
    private static List<String> entries(Path classpathEntry) {
        try {
            if (Files.isDirectory(classpathEntry)) {
                try (Stream<Path> files = Files.walk(classpathEntry)) {
                    return files.filter(Files::isRegularFile)
                            .map(f -> classpathEntry.relativize(f).toString().replace(File.separatorChar, '/')).toList();
                }
            }
            try (JarFile jar = new JarFile(classpathEntry.toFile())) {
                return Collections.list(jar.entries()).stream().filter(e -> !e.isDirectory()).map(JarEntry::getName)
                        .toList();
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot list " + classpathEntry, e);
        }
    }
}
