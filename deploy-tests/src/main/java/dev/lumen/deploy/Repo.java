package dev.lumen.deploy;

import java.nio.file.Files;
import java.nio.file.Path;

/** Locates the repository root: the manifests, compose file, services and README live there. */
public final class Repo {

    private Repo() {
    }

    /**
     * The root given by the system property {@code lumen.repo.root} (the build sets it), else the
     * nearest directory upwards from the working directory that holds {@code k8s/} and {@code contracts/}.
     */
    public static Path root() {
        String configured = System.getProperty("lumen.repo.root");
        if (configured != null) {
            return Path.of(configured).toAbsolutePath().normalize();
        }
        for (Path dir = Path.of("").toAbsolutePath(); dir != null; dir = dir.getParent()) {
            if (Files.isDirectory(dir.resolve("k8s")) && Files.isDirectory(dir.resolve("contracts"))) {
                return dir;
            }
        }
        throw new IllegalStateException("cannot find the repository root; set -Dlumen.repo.root");
    }
}
