package dev.lumen.results.rest;

import com.fasterxml.jackson.annotation.JsonInclude;

import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * One page of a run's results.
 *
 * @param runId the run
 * @param page zero-based page number
 * @param size page size asked for
 * @param matching results passing the filters, all pages
 * @param totalPages pages for {@code matching} results (at least 1)
 * @param sort the sort key
 * @param order {@code asc} or {@code desc}
 * @param label the label filter, if any
 * @param outcome the outcome filter, if any
 * @param error the error type filter, if any
 * @param outcomes stored results of the whole run per outcome (unfiltered)
 * @param labels explained images of the whole run per target label (unfiltered), for filter menus
 * @param errors images of the whole run per error type (unfiltered): what the {@code error} filter alone
 *               returns; absent when no image has an evaluation against ground truth
 * @param urlsExpireAt when the presigned image URLs of this page stop working
 * @param items the results of this page
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record ResultPage(String runId, int page, int size, int matching, int totalPages, String sort, String order,
                         String label, String outcome, String error, Map<String, Integer> outcomes,
                         Map<String, Integer> labels, Map<String, Integer> errors, Instant urlsExpireAt, List<ResultItem> items) {
}
