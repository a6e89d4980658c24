package dev.lumen.runs.rest;

import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;

/**
 * JSON body of {@code POST /api/datasets}: registers images already in the bucket.
 *
 * @param name human-readable name
 * @param s3Prefix the folder holding the images, under {@code imports/{tenant}/}
 */
public record RegisterDatasetRequest(
        @NotBlank @Size(max = 200) String name,
        @NotBlank @Size(max = 512) @Pattern(regexp = "^[A-Za-z0-9._/-]+$",
                message = "must be a bucket prefix of letters, digits, '.', '_', '-' and '/'") String s3Prefix) {
}
