package dev.lumen.runs.rest;

import com.fasterxml.jackson.annotation.JsonInclude;
import dev.lumen.runs.domain.Dataset;

import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * A dataset as the API shows it.
 *
 * @param datasetId the id runs refer to
 * @param name its name
 * @param source {@code upload} or {@code s3}
 * @param s3Prefix the registered prefix, for {@code s3} datasets
 * @param counts images, annotated images and classes
 * @param groundTruth whether ground truth is stored
 * @param createdAt when it was created
 * @param rejected files refused, with the reason
 * @param tags images per tag, when the images carry tags (the slices insights compare)
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record DatasetView(String datasetId, String name, String source, String s3Prefix, Counts counts,
                          boolean groundTruth, Instant createdAt, List<Dataset.FileProblem> rejected,
                          Map<String, Integer> tags) {

    /**
     * What a dataset holds.
     *
     * @param images accepted images
     * @param annotatedImages images with ground truth
     * @param classes ground-truth categories
     */
    public record Counts(int images, int annotatedImages, int classes) {
    }

    /** The view of {@code dataset}. */
    public static DatasetView of(Dataset dataset) {
        boolean registered = Dataset.SOURCE_S3.equals(dataset.source())
                && !dataset.imagePrefix().equals("datasets/" + dataset.id() + "/images/");
        return new DatasetView(dataset.id(), dataset.name(), dataset.source(), registered ? dataset.imagePrefix() : null,
                new Counts(dataset.images(), dataset.annotatedImages(), dataset.classes()), dataset.groundTruth(),
                dataset.createdAt(), dataset.rejected() == null || dataset.rejected().isEmpty() ? null : dataset.rejected(),
                dataset.tags());
    }
}
