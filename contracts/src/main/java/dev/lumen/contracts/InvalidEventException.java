package dev.lumen.contracts;

import java.util.List;

/**
 * An event that does not conform to its contract: not JSON, an invalid envelope, an unexpected type,
 * or data that fails its schema. Each problem names the JSON path it concerns, e.g.
 * {@code $.data.imageCount: must be >= 1}.
 *
 * <p>Consumers treat it as a poison message (dead-letter it, do not retry); producers get it from
 * {@link EventCodec#encode} so that an invalid event never reaches a topic.
 */
public class InvalidEventException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    /** Problems beyond this many are counted, not listed, so that one bad array cannot flood a log. */
    private static final int MAX_PROBLEMS_IN_MESSAGE = 20;

    private final List<String> problems;

    /**
     * @param context what was being checked, e.g. {@code invalid dev.lumen.run.requested.v1}; the
     *     message is the context, a colon, then the problems separated by semicolons
     * @param problems one line per problem, each starting with the JSON path it concerns
     */
    public InvalidEventException(String context, List<String> problems) {
        this(context, problems, null);
    }

    /**
     * @param context what was being checked
     * @param problems one line per problem
     * @param cause the parser or binder failure behind the problems, if any
     */
    public InvalidEventException(String context, List<String> problems, Throwable cause) {
        super(message(context, problems), cause);
        this.problems = List.copyOf(problems);
    }

    /** Every problem found, each starting with the JSON path it concerns where there is one. */
    public List<String> problems() {
        return problems;
    }

    private static String message(String context, List<String> problems) {
        if (problems.isEmpty()) {
            return context;
        }
        List<String> shown = problems.subList(0, Math.min(problems.size(), MAX_PROBLEMS_IN_MESSAGE));
        String listed = String.join("; ", shown);
        int hidden = problems.size() - shown.size();
        return context + ": " + listed + (hidden > 0 ? "; and " + hidden + " more" : "");
    }
}
