package dev.lumen.service.rest;

import java.util.List;

/**
 * Thrown by resources and services to answer with a problem response; {@code kind} becomes the last
 * segment of the problem's type URI.
 */
public class ProblemException extends RuntimeException {

    private final int status;
    private final String kind;
    private final String title;
    private final List<Problem.FieldProblem> errors;

    public ProblemException(int status, String kind, String title, String detail,
                            List<Problem.FieldProblem> errors) {
        super(detail);
        this.status = status;
        this.kind = kind;
        this.title = title;
        this.errors = List.copyOf(errors);
    }

    /** 404 for an id that does not exist (or belongs to another tenant). */
    public static ProblemException notFound(String kind, String detail) {
        return new ProblemException(404, kind, "Not found", detail, List.of());
    }

    /** 400 for a request that is malformed in one field. */
    public static ProblemException badField(String field, String message) {
        return new ProblemException(400, "validation", "Invalid request", field + ": " + message,
                List.of(new Problem.FieldProblem(field, message)));
    }

    /** 422 for a well-formed request that cannot be carried out. */
    public static ProblemException unprocessable(String kind, String detail) {
        return new ProblemException(422, kind, "Request cannot be carried out", detail, List.of());
    }

    /** 409 for a request that conflicts with the resource's current state. */
    public static ProblemException conflict(String kind, String detail) {
        return new ProblemException(409, kind, "Conflict", detail, List.of());
    }

    public int status() {
        return status;
    }

    /** The body for this problem at {@code instance}. */
    public Problem toProblem(String instance) {
        return new Problem(Problem.TYPE_PREFIX + kind, title, status, getMessage(), instance, errors);
    }
}
