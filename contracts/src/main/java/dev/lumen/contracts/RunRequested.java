package dev.lumen.contracts;

import com.fasterxml.jackson.annotation.JsonInclude;

import java.util.Map;

/**
 * Data of {@code dev.lumen.run.requested.v1} on {@link Topics#RUN_REQUESTS}: a run was requested.
 * Published by run-service for REST calls, or directly by other platform services.
 *
 * @param runId unique run id (also the record key and the CloudEvent subject)
 * @param tenant tenant that owns the run
 * @param name human-readable name
 * @param method explanation method, e.g. {@code gradcam}, {@code drise}
 * @param model model to explain
 * @param dataset validation set to sample from
 * @param imageCount number of images to sample
 * @param seed sampling and mask seed; when absent, the planner derives one from the run id
 * @param allowFewer take every image with a warning when the dataset has fewer than imageCount
 * @param parameters method parameters (e.g. {@code masks}, {@code grid}, {@code targetLayer})
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record RunRequested(
        String runId,
        String tenant,
        String name,
        String method,
        ModelRef model,
        DatasetRef dataset,
        int imageCount,
        Long seed,
        Boolean allowFewer,
        Map<String, Object> parameters) {
}
