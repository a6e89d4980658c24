package dev.lumen.runs.rest;

/**
 * Optional body of {@code POST /api/runs/{id}/cancel}.
 *
 * @param reason why, shown to whoever looks at the run (at most 500 characters)
 */
public record CancelRunRequest(String reason) {
}
