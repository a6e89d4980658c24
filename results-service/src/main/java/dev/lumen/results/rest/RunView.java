package dev.lumen.results.rest;

import com.fasterxml.jackson.annotation.JsonInclude;
import dev.lumen.contracts.RunProgress;

import java.util.List;

/**
 * A run as {@code GET /api/runs/{id}} shows it: progress and, per image, the outcome and links.
 *
 * @param progress state, counts, throughput and ETA
 * @param images per-image outcomes with links to their files
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record RunView(RunProgress progress, List<ImageView> images) {
}
