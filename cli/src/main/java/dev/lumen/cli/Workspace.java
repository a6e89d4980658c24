package dev.lumen.cli;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * Where the project's built artifacts and the local state live. The root is the reactor folder (the
 * one holding {@code devstack/} and {@code mvnw}); state goes under {@code <root>/.lumen/}.
 *
 * @param root the reactor root
 */
public record Workspace(Path root) {

    private static final String VERSION = "0.1.0-SNAPSHOT";

    /** The workspace around {@code start}, walking up until the reactor root is found. */
    public static Workspace locate(Path start) {
        String configured = System.getProperty("lumen.home", System.getenv("LUMEN_HOME"));
        if (configured != null && !configured.isBlank()) {
            return new Workspace(Path.of(configured).toAbsolutePath().normalize());
        }
        for (Path dir = start.toAbsolutePath().normalize(); dir != null; dir = dir.getParent()) {
            if (Files.isDirectory(dir.resolve("devstack")) && Files.exists(dir.resolve("mvnw"))) {
                return new Workspace(dir);
            }
        }
        throw new CliException("cannot find the Lumen project root above " + start + "; run ./lumen from the project");
    }

    /** Local state: devstack data, logs, demo assets. */
    public Path stateDir() {
        return root.resolve(".lumen");
    }

    public Path devstackJar() {
        return root.resolve("devstack/target/lumen-devstack-" + VERSION + ".jar");
    }

    public Path explainerJar() {
        return root.resolve("explainer-cli/target/lumen-explainer-cli-" + VERSION + ".jar");
    }

    /** The runnable jar of a Quarkus service module. */
    public Path serviceJar(String service) {
        return root.resolve(service + "/target/quarkus-app/quarkus-run.jar");
    }

    /** Every artifact the platform needs, for "is the build complete?" checks. */
    public List<Path> requiredArtifacts() {
        return List.of(devstackJar(), explainerJar(), serviceJar("run-service"), serviceJar("worker-service"),
                serviceJar("results-service"));
    }
}
