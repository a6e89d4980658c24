package dev.lumen.cli;

import dev.lumen.devstack.TestStack;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * The offline demo fixture ({@code ./lumen demo --fixture}, and the end-to-end tests): a small CNN
 * trained in Java on synthetic images, with its validation set, built once under
 * {@code .lumen/assets/squares} (a second run builds nothing) and uploaded to the platform's object
 * storage.
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
        AssetSeeder.runJava(List.of("-jar", workspace.explainerJar().toString(), "fixtures", "squares", "--out", dir.toString()),
                Map.of("TF_CPP_MIN_LOG_LEVEL", "2"), "building the demo model");
        return dir;
    }

    /** Uploads the model and the images to the platform's object storage (idempotent). */
    public void upload(Path assets, TestStack.Endpoints endpoints) {
        AssetSeeder seeder = new AssetSeeder(workspace, endpoints);
        seeder.seedModel(MODEL_ID, assets.resolve("model"));
        seeder.seedDataset(DATASET_ID, assets.resolve("images"));
    }
}
