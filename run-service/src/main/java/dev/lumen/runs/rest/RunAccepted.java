package dev.lumen.runs.rest;

import java.util.List;
import java.util.Map;

/**
 * Answer to an accepted run: it is queued and will be planned and explained asynchronously.
 *
 * @param runId the new run's id
 * @param state always {@code QUEUED}
 * @param seed the sampling seed (given or chosen)
 * @param imageCount images that will be explained
 * @param warnings what the requester should know
 * @param links where to follow the run: {@code self} (this service's {@code GET /api/runs/{id}}, which
 *     answers from the moment of the 202), {@code results} (results-service's results and progress) and
 *     {@code ui} (the run's page in the web UI)
 */
public record RunAccepted(String runId, String state, long seed, int imageCount, List<String> warnings,
                          Map<String, String> links) {
}
