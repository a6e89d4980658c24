package dev.lumen.devstack;

import java.io.File;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.jar.Attributes;
import java.util.jar.JarFile;
import java.util.jar.Manifest;

/**
 * The class path a child JVM needs to run classes this JVM can run: this JVM's own
 * {@code java.class.path} with every jar's manifest {@code Class-Path} spelled out. The spelling
 * out matters because this JVM is often started from a single jar that only names the others in
 * its manifest: the launcher jar ({@code lib/*.jar}) or Surefire's booter jar.
 */
final class ChildClasspath {

    private ChildClasspath() {
    }

    static String ofThisJvm() {
        Set<Path> entries = new LinkedHashSet<>();
        for (String entry : System.getProperty("java.class.path").split(File.pathSeparator)) {
            if (!entry.isBlank()) {
                addWithManifestClassPath(Path.of(entry).toAbsolutePath().normalize(), entries);
            }
        }
        List<String> paths = new ArrayList<>();
        entries.forEach(path -> paths.add(path.toString()));
        return String.join(File.pathSeparator, paths);
    }

    private static void addWithManifestClassPath(Path entry, Set<Path> entries) {
        if (!entries.add(entry) || !Files.isRegularFile(entry)) {
            return;
        }
        for (Path referenced : manifestClassPath(entry)) {
            addWithManifestClassPath(referenced, entries);
        }
    }

    private static List<Path> manifestClassPath(Path jar) {
        List<Path> referenced = new ArrayList<>();
        try (JarFile file = new JarFile(jar.toFile())) {
            Manifest manifest = file.getManifest();
            String classPath = manifest == null ? null : manifest.getMainAttributes().getValue(Attributes.Name.CLASS_PATH);
            if (classPath == null) {
                return referenced;
            }
            // Entries are URLs relative to the jar's folder; Surefire writes absolute file: URLs.
            URI base = jar.getParent().toUri();
            for (String url : classPath.trim().split("\\s+")) {
                URI resolved = base.resolve(url);
                if ("file".equals(resolved.getScheme())) {
                    referenced.add(Path.of(resolved).normalize());
                }
            }
        } catch (IOException | IllegalArgumentException e) {
            // Not a readable jar: the JVM would ignore its manifest too.
        }
        return referenced;
    }
}
