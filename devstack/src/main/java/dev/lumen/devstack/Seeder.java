package dev.lumen.devstack;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.Function;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * Uploads local models and datasets into the bucket under the keys Lumen reads them from:
 * {@code models/{id}/<path inside the model dir>} and {@code datasets/{id}/images/<file name>}, with
 * a dataset folder's {@value #GROUND_TRUTH} (COCO) as {@code datasets/{id}/ground-truth.json}.
 * Uploading again overwrites with the same content, so seeding is idempotent.
 */
final class Seeder {

    /** A dataset folder's COCO ground truth, uploaded beside its images. */
    static final String GROUND_TRUTH = "ground-truth.json";

    private static final int UPLOADS_AT_ONCE = 8;

    private final BucketUploader store;

    Seeder(BucketUploader store) {
        this.store = store;
    }

    /** Uploads every file under {@code modelDir}, keeping relative paths; returns the keys. */
    List<String> seedModel(String id, Path modelDir) throws Exception {
        requireDirectory(modelDir);
        String prefix = "models/" + checkedId(id) + "/";
        List<Path> files;
        try (Stream<Path> walk = Files.walk(modelDir)) {
            files = walk.filter(Files::isRegularFile).sorted().toList();
        }
        return upload(files, file -> prefix + relativeKey(modelDir, file));
    }

    /**
     * Uploads the image files directly inside {@code imageDir}, and its {@value #GROUND_TRUTH} when
     * there is one (the run service reads the objects of attribute runs from it); returns the keys.
     */
    List<String> seedDataset(String id, Path imageDir) throws Exception {
        requireDirectory(imageDir);
        String prefix = "datasets/" + checkedId(id) + "/images/";
        List<Path> images;
        try (Stream<Path> list = Files.list(imageDir)) {
            images = list.filter(Files::isRegularFile).filter(ContentTypes::isImage).sorted().toList();
        }
        if (images.isEmpty()) {
            throw new DevStackException("No image files (png, jpg, jpeg, gif, bmp, webp, tif, tiff) in " + imageDir);
        }
        List<String> keys = new ArrayList<>(upload(images, file -> prefix + file.getFileName()));
        Path groundTruth = imageDir.resolve(GROUND_TRUTH);
        if (Files.isRegularFile(groundTruth)) {
            String key = "datasets/" + id + "/" + GROUND_TRUTH;
            store.upload(key, groundTruth, "application/json");
            keys.add(key);
        }
        return keys;
    }

    /** Uploads the files several at a time (one at a time, 10,000 bench images took 8 minutes). */
    private List<String> upload(List<Path> files, Function<Path, String> keyOf) throws Exception {
        List<String> keys = files.stream().map(keyOf).collect(Collectors.toList());
        ExecutorService pool = Executors.newFixedThreadPool(Math.min(UPLOADS_AT_ONCE, Math.max(1, files.size())));
        try {
            List<Future<?>> uploads = new ArrayList<>(files.size());
            for (int i = 0; i < files.size(); i++) {
                String key = keys.get(i);
                Path file = files.get(i);
                uploads.add(pool.submit(() -> {
                    store.upload(key, file, ContentTypes.of(file));
                    return null;
                }));
            }
            for (Future<?> upload : uploads) {
                try {
                    upload.get();
                } catch (ExecutionException e) {
                    throw e.getCause() instanceof Exception cause ? cause : e;
                }
            }
        } finally {
            pool.shutdownNow();
        }
        return keys;
    }

    private static String relativeKey(Path root, Path file) {
        // S3 keys use '/' whatever the local separator.
        return root.relativize(file).toString().replace(root.getFileSystem().getSeparator(), "/");
    }

    private static void requireDirectory(Path dir) {
        if (!Files.isDirectory(dir)) {
            throw new DevStackException(dir + " is not a directory");
        }
    }

    private static String checkedId(String id) {
        // The id pattern of the event schemas; '.' and '..' would climb out of the prefix.
        if (id == null || !id.matches("[A-Za-z0-9._-]{1,128}") || id.equals(".") || id.equals("..")) {
            throw new DevStackException("Invalid id '" + id + "': use 1 to 128 letters, digits, '.', '_' and '-'");
        }
        return id;
    }
}
