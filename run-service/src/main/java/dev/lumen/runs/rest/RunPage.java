package dev.lumen.runs.rest;

import java.util.List;

/**
 * One page of runs, newest first.
 *
 * @param items the runs on this page
 * @param page page number, from 0
 * @param size page size asked for
 * @param total runs that match the filter, on all pages
 * @param totalPages pages that hold them
 */
public record RunPage(List<RunView> items, int page, int size, long total, int totalPages) {
}
