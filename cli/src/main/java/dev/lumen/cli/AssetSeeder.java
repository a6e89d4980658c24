package dev.lumen.cli;

import dev.lumen.devstack.TestStack;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Uploads model folders and image folders into the platform's object storage with the devstack's
 * {@code seed-model} and {@code seed-dataset} commands (idempotent: same keys, same bytes).
 */
final class AssetSeeder {

    private final Workspace workspace;
    private final TestStack.Endpoints endpoints;

    AssetSeeder(Workspace workspace, TestStack.Endpoints endpoints) {
        this.workspace = workspace;
        this.endpoints = endpoints;
    }

    /** Uploads {@code modelDir} (SavedModel plus {@code lumen-model.json}) as model {@code id}. */
    void seedModel(String id, Path modelDir) {
        runJava(List.of("-jar", workspace.devstackJar().toString(), "seed-model", "--id", id, modelDir.toString()),
                s3Environment(), "uploading model " + id);
    }

    /** Uploads the images in {@code imageDir} as dataset {@code id}. */
    void seedDataset(String id, Path imageDir) {
        runJava(List.of("-jar", workspace.devstackJar().toString(), "seed-dataset", "--id", id, imageDir.toString()),
                s3Environment(), "uploading dataset " + id);
    }

    private Map<String, String> s3Environment() {
        return Map.of(
                "S3_ENDPOINT", endpoints.s3Endpoint(),
                "S3_ACCESS_KEY", endpoints.s3AccessKey(),
                "S3_SECRET_KEY", endpoints.s3SecretKey(),
                "S3_BUCKET", endpoints.s3Bucket(),
                "S3_REGION", endpoints.s3Region());
    }

    /** Runs a Java program of this workspace to completion; its output is shown only when it fails. */
    static void runJava(List<String> args, Map<String, String> env, String what) {
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
