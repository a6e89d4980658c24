package dev.lumen.cli;

import dev.lumen.devstack.TestStack;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The demo's model and validation set: built once under {@code .lumen/assets/} (a second run builds
 * nothing) and uploaded to the platform's object storage.
 */
public final class DemoAssets {

    /** Model id of the demo classifier in the registry. */
    public static final String MODEL_ID = "squares-cnn";
    /** Dataset id of the demo validation set. */
    public static final String DATASET_ID = "squares-demo";

    private final Workspace workspace;
    private final Path dir;

    /** Assets cached under {@code dir}. */
    public DemoAssets(Workspace workspace, Path dir) {
        this.workspace = workspace;
        this.dir = dir;
    }

    /** Assets cached under the workspace's {@code .lumen/assets/squares}. */
    public DemoAssets(Workspace workspace) {
        this(workspace, workspace.stateDir().resolve("assets").resolve("squares"));
    }

    /** The fixture folder ({@code model/} and {@code images/}), built when missing. */
    public Path ensureBuilt() {
        if (Files.isRegularFile(dir.resolve("model").resolve("lumen-model.json")) && Files.isDirectory(dir.resolve("images"))) {
            return dir;
        }
        System.out.println("Building the demo model (a small CNN trained in Java on synthetic images)...");
        runJava(List.of("-jar", workspace.explainerJar().toString(), "fixtures", "squares", "--out", dir.toString()),
                Map.of("TF_CPP_MIN_LOG_LEVEL", "2"), "building the demo model");
        return dir;
    }

    /** Uploads the model and the images to the platform's object storage (idempotent). */
    public void upload(Path assets, TestStack.Endpoints endpoints) {
        Map<String, String> env = Map.of(
                "S3_ENDPOINT", endpoints.s3Endpoint(),
                "S3_ACCESS_KEY", endpoints.s3AccessKey(),
                "S3_SECRET_KEY", endpoints.s3SecretKey(),
                "S3_BUCKET", endpoints.s3Bucket(),
                "S3_REGION", endpoints.s3Region());
        runJava(List.of("-jar", workspace.devstackJar().toString(), "seed-model", "--id", MODEL_ID,
                assets.resolve("model").toString()), env, "uploading the demo model");
        runJava(List.of("-jar", workspace.devstackJar().toString(), "seed-dataset", "--id", DATASET_ID,
                assets.resolve("images").toString()), env, "uploading the demo images");
    }

    private static void runJava(List<String> args, Map<String, String> env, String what) {
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.addAll(args);
        try {
            ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true);
            builder.environment().putAll(env);
            Process process = builder.start();
            String output = new String(process.getInputStream().readAllBytes());
            if (process.waitFor() != 0) {
                throw new CliException(what + " failed:\n" + output);
            }
        } catch (IOException e) {
            throw new CliException(what + " failed: " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new CliException("interrupted while " + what);
        }
    }
}
