package dev.lumen.deploy;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;
import java.util.stream.Stream;

/**
 * A scratch copy of the repository's deployment files for one test: the real manifests, which a
 * test may break on purpose without touching the working tree. The git-ignored {@code secrets.env}
 * is created from its example, as the README tells operators to.
 */
final class Workspace {

    final Path root;

    private Workspace(Path root) {
        this.root = root;
    }

    /** Copies {@code k8s/}, {@code docker-compose.yml} and {@code README.md} of the repository into {@code dir}. */
    static Workspace copy(Path dir) {
        Path repo = Repo.root();
        try {
            copyTree(repo.resolve("k8s"), dir.resolve("k8s"));
            Files.copy(repo.resolve("docker-compose.yml"), dir.resolve("docker-compose.yml"));
            Files.copy(repo.resolve("README.md"), dir.resolve("README.md"));
            Files.copy(dir.resolve("k8s/base/secrets.env.example"), dir.resolve("k8s/base/secrets.env"),
                    StandardCopyOption.REPLACE_EXISTING);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return new Workspace(dir);
    }

    private static void copyTree(Path from, Path to) throws IOException {
        try (Stream<Path> files = Files.walk(from)) {
            for (Path f : files.toList()) {
                Path target = to.resolve(from.relativize(f).toString());
                if (Files.isDirectory(f)) {
                    Files.createDirectories(target);
                } else if (!f.getFileName().toString().equals("secrets.env")) {
                    Files.copy(f, target);
                }
            }
        }
    }

    /** Renders {@code k8s/overlays/<overlay>} of this copy. */
    List<Resource> render(String overlay) {
        return Kustomize.render(root.resolve("k8s/overlays").resolve(overlay));
    }

    /** Replaces {@code from} (which must occur exactly once) by {@code to} in a file of this copy. */
    Workspace edit(String file, String from, String to) {
        Path path = root.resolve(file);
        try {
            String text = Files.readString(path);
            int at = text.indexOf(from);
            if (at < 0 || text.indexOf(from, at + 1) >= 0) {
                throw new IllegalArgumentException(file + ": '" + from + "' must occur exactly once");
            }
            Files.writeString(path, text.replace(from, to));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return this;
    }

    /** The text of a file of this copy. */
    String read(String file) {
        try {
            return Files.readString(root.resolve(file));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
