package dev.lumen.results.rest;

import dev.lumen.contracts.Outcome;
import dev.lumen.results.insights.ErrorTypes;
import dev.lumen.results.storage.StoredResult;
import dev.lumen.results.storage.StoredResult.StoredExplanation;
import dev.lumen.service.rest.ProblemException;

import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.function.Function;

/**
 * What {@code GET /api/runs/{id}/results} asks for: a filter, a sort order and a page. Pure logic over
 * stored records, so it is tested without a server.
 *
 * <p>Sorting uses each image's <em>primary</em> explanation: the highest-scoring explained target
 * (among those with the requested label, when filtering by label). Images without a value for the
 * sort key (skipped, failed, no metrics) always come last, whatever the order; ties are broken by
 * image id so pages never overlap.
 *
 * <p>Explanations whose target has a role (a missed object, a wrong prediction's true label) are not the
 * model's predictions: the label filter, the label counts and the primary explanation leave them out.
 *
 * <p>With an error type, the label filter applies to the typed predictions instead (decision 0075): label
 * {@code cat} with error {@code background} selects images with a background false positive predicted as
 * {@code cat}, explained or not; with error {@code missed}, images where a {@code cat} was missed.
 *
 * @param page zero-based page number
 * @param size results per page
 * @param label only images with an explained target of this label (case-insensitive), or null
 * @param outcome only images with this outcome, or null
 * @param error only images with a prediction of this error type ({@link ErrorTypes#ALL}), or with a missed
 *              object for {@code missed}, or null
 * @param sort the sort key
 * @param descending whether larger values come first
 */
public record ResultQuery(int page, int size, String label, Outcome outcome, String error, Sort sort, boolean descending) {

    /** Sort keys; each has the order that puts the best first as its default. */
    public enum Sort {
        /** Image id, ascending. */
        IMAGE(false, r -> null),
        /** The model's score for the primary target. */
        SCORE(true, e -> e.target() == null ? null : e.target().score()),
        /** Deletion AUC; lower is more faithful, so ascending by default. */
        DELETION(false, e -> e.metrics() == null ? null : e.metrics().deletionAuc()),
        /** Insertion AUC; higher is more faithful. */
        INSERTION(true, e -> e.metrics() == null ? null : e.metrics().insertionAuc()),
        /** Insertion AUC minus deletion AUC; higher is more faithful. */
        FAITHFULNESS(true, ResultQuery::faithfulness);

        private final boolean descendingByDefault;
        private final Function<StoredExplanation, Double> key;

        Sort(boolean descendingByDefault, Function<StoredExplanation, Double> key) {
            this.descendingByDefault = descendingByDefault;
            this.key = key;
        }

        public String id() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    /** Longest label filter: no model's label is longer, and a longer one is a mistake or an attack. */
    static final int MAX_LABEL_LENGTH = 512;

    /**
     * Validates raw query parameters.
     *
     * @throws ProblemException 400 naming the offending parameter
     */
    public static ResultQuery parse(Integer page, Integer size, String label, String outcome, String error, String sort,
                                    String order, int defaultSize, int maxSize) {
        int p = page == null ? 0 : page;
        if (p < 0) {
            throw ProblemException.badField("page", "must be 0 or more");
        }
        int s = size == null ? defaultSize : size;
        if (s < 1 || s > maxSize) {
            throw ProblemException.badField("size", "must be between 1 and " + maxSize);
        }
        Outcome o = null;
        if (outcome != null && !outcome.isBlank()) {
            try {
                o = Outcome.valueOf(outcome.trim().toUpperCase(Locale.ROOT));
            } catch (IllegalArgumentException e) {
                throw ProblemException.badField("outcome", "must be one of explained, skipped, failed");
            }
        }
        String type = null;
        if (error != null && !error.isBlank()) {
            type = error.trim().toLowerCase(Locale.ROOT);
            if (!ErrorTypes.ALL.contains(type)) {
                throw ProblemException.badField("error", "must be one of " + String.join(", ", ErrorTypes.ALL));
            }
        }
        Sort key = Sort.IMAGE;
        if (sort != null && !sort.isBlank()) {
            try {
                key = Sort.valueOf(sort.trim().toUpperCase(Locale.ROOT));
            } catch (IllegalArgumentException e) {
                throw ProblemException.badField("sort", "must be one of image, score, deletion, insertion, faithfulness");
            }
        }
        boolean descending = key.descendingByDefault;
        if (order != null && !order.isBlank()) {
            switch (order.trim().toLowerCase(Locale.ROOT)) {
                case "asc" -> descending = false;
                case "desc" -> descending = true;
                default -> throw ProblemException.badField("order", "must be asc or desc");
            }
        }
        String l = label == null || label.isBlank() ? null : label.trim();
        if (l != null && l.length() > MAX_LABEL_LENGTH) {
            throw ProblemException.badField("label", "must have at most " + MAX_LABEL_LENGTH + " characters");
        }
        return new ResultQuery(p, s, l, o, type, key, descending);
    }

    /** The matching records in the requested order (all pages). */
    public List<StoredResult> select(List<StoredResult> results) {
        Comparator<StoredResult> byImage = StoredResult.BY_IMAGE_ID;
        Comparator<StoredResult> order = byImage;
        if (sort != Sort.IMAGE) {
            Comparator<Double> values = descending ? Comparator.reverseOrder() : Comparator.naturalOrder();
            order = Comparator.comparing((StoredResult r) -> sortValue(r), Comparator.nullsLast(values)).thenComparing(byImage);
        } else if (descending) {
            order = byImage.reversed();
        }
        return results.stream().filter(this::matches).sorted(order).toList();
    }

    /** The records of the requested page out of {@code selected}. */
    public List<StoredResult> page(List<StoredResult> selected) {
        long from = Math.min((long) page * size, selected.size());
        long to = Math.min(from + size, selected.size());
        return selected.subList((int) from, (int) to);
    }

    /** Number of pages for {@code matching} records (at least 1, so an empty result is page 0 of 1). */
    public int pages(int matching) {
        return Math.max(1, (matching + size - 1) / size);
    }

    /** Whether the record passes the filters. */
    public boolean matches(StoredResult result) {
        if (outcome != null && result.result().outcome() != outcome) {
            return false;
        }
        if (error != null) {
            return ErrorTypes.has(result.result(), error, label);
        }
        return label == null || explanations(result).stream().anyMatch(this::hasLabel);
    }

    /**
     * The explanation an image is sorted by: its highest-scoring target, among those with the requested
     * label when filtering by label; null when the image has none.
     */
    public StoredExplanation primary(StoredResult result) {
        return explanations(result).stream()
                .filter(e -> label == null || hasLabel(e))
                .max(Comparator.comparingDouble(e -> e.target() == null ? Double.NEGATIVE_INFINITY : e.target().score()))
                .orElse(null);
    }

    /** Insertion minus deletion AUC, or null when either is missing. */
    public static Double faithfulness(StoredExplanation explanation) {
        if (explanation.metrics() == null || explanation.metrics().deletionAuc() == null
                || explanation.metrics().insertionAuc() == null) {
            return null;
        }
        return explanation.metrics().insertionAuc() - explanation.metrics().deletionAuc();
    }

    private Double sortValue(StoredResult result) {
        StoredExplanation primary = primary(result);
        return primary == null ? null : sort.key.apply(primary);
    }

    private boolean hasLabel(StoredExplanation explanation) {
        return explanation.target() != null && explanation.target().label() != null
                && explanation.target().label().equalsIgnoreCase(label);
    }

    /** The image's explanations of its predictions, without those of targets with a role. */
    static List<StoredExplanation> explanations(StoredResult result) {
        return result.explanations() == null ? List.of()
                : result.explanations().stream().filter(e -> e.target() == null || e.target().role() == null).toList();
    }
}
