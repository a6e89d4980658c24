package dev.lumen.runs.domain;

import com.fasterxml.jackson.annotation.JsonInclude;

import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * A registered dataset as stored in {@code datasets/{id}/dataset.json}.
 *
 * @param id dataset id
 * @param name human-readable name
 * @param tenant owner; null for datasets seeded straight into object storage (they belong to the
 *               default tenant)
 * @param source {@code upload} (images stored by Lumen) or {@code s3} (an existing prefix registered)
 * @param imagePrefix where the images are: {@code datasets/{id}/images/} or the registered prefix
 * @param images accepted images
 * @param annotatedImages images with at least one ground-truth annotation, tag or attribute
 * @param classes ground-truth categories
 * @param groundTruth whether {@code datasets/{id}/ground-truth.json} exists
 * @param createdAt when it was registered; null for seeded datasets
 * @param rejected files that were refused, with the reason
 * @param tags images per tag ({@code datasets/{id}/image-tags.json}); null without tags
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record Dataset(
        String id,
        String name,
        String tenant,
        String source,
        String imagePrefix,
        int images,
        int annotatedImages,
        int classes,
        boolean groundTruth,
        Instant createdAt,
        List<FileProblem> rejected,
        Map<String, Integer> tags) {

    /** Images uploaded through the API. */
    public static final String SOURCE_UPLOAD = "upload";
    /** An existing object-storage prefix registered through the API (or seeded directly). */
    public static final String SOURCE_S3 = "s3";

    /** Whether {@code tenantId} owns this dataset; datasets without a tenant belong to {@code defaultTenant}. */
    public boolean ownedBy(String tenantId, String defaultTenant) {
        return (tenant == null ? defaultTenant : tenant).equals(tenantId);
    }

    /**
     * A file refused on the way in.
     *
     * @param file the file name as sent
     * @param reason why it was refused
     */
    public record FileProblem(String file, String reason) {
    }
}
