package dev.lumen.runs.rest;

import dev.lumen.runs.domain.Ids;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;

import java.util.Map;

/**
 * Body of {@code POST /api/runs}.
 *
 * @param name human-readable name
 * @param model id of a registered model
 * @param dataset id of a dataset
 * @param method explanation method: the id of one of the catalogue's methods that explains the model's
 *     task ({@code GET /api/methods?task=...} lists them)
 * @param imageCount how many images to sample
 * @param seed sampling seed; random when absent (and then recorded)
 * @param allowFewer explain every image, with a warning, when the dataset has fewer than imageCount
 * @param parameters method parameters, e.g. {@code {"masks": 2000, "grid": 16}} for {@code drise}: each
 *     must be one the method takes for the model's task, of its type and in its range (see
 *     {@code GET /api/methods}); a {@code class} must name a label of the model
 */
public record CreateRunRequest(
        @NotBlank @Size(max = 200) String name,
        @NotBlank @Pattern(regexp = Ids.PATTERN, message = Ids.MESSAGE) String model,
        @NotBlank @Pattern(regexp = Ids.PATTERN, message = Ids.MESSAGE) String dataset,
        @NotBlank @Size(max = 40) String method,
        @NotNull @Min(1) @Max(100_000) Integer imageCount,
        Long seed,
        Boolean allowFewer,
        @Size(max = 50) Map<String, Object> parameters) {
}
