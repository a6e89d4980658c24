package dev.lumen.results.rest;

import com.fasterxml.jackson.annotation.JsonInclude;
import dev.lumen.contracts.RunProgress;

import java.util.List;

/**
 * A run as results-service's {@code GET /api/runs/{id}} shows it: progress and, per image, the outcome
 * and links (run-service's {@code RunView} is the run as requested and followed there).
 *
 * @param progress state, counts, throughput and ETA
 * @param images per-image outcomes with links to their files
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record RunResultsView(RunProgress progress, List<ImageView> images) {
}
